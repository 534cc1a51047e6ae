// The main job on the embedded default: the emulated fleet behind the real gateway and scheduler,
// driven by closed-loop coding agents over the Anthropic and OpenAI APIs, once per policy with the
// same seed, so the policies are compared on identical traffic. Everything runs in process on a
// virtual clock (the emulator reports the same durations a real Mac would), so a run takes seconds.
import { composeGateway } from './app.ts';
import type { FleetConfig, PolicyName } from './config/index.ts';
import { inProcessFleet } from './emulator/in-process-fleet.ts';
import { ManualClock, runVirtual } from './lib/clock.ts';
import { sequentialIds } from './lib/ids.ts';
import { runDemoAgents, type DemoAgentSpec } from './runner/demo-agents.ts';
import { summarizeRun, type DemoRun, type DemoSummary, type LoadSpan } from './runner/demo-report.ts';
import { resolveModelCosts } from './cost/model-costs.ts';
import { serverWaitTargetCheck } from './scheduler/fleet-feasibility.ts';
import { dollarsSaved, openUsageStore, savingsBaseline } from './store/index.ts';

export interface DemoOptions {
  fleet: FleetConfig;
  policies: readonly PolicyName[];
  seed: number;
  /** agents per alias in the fleet's alias order; default 4, 2, 1, 1, ... */
  agents?: readonly DemoAgentSpec[];
  turns?: number;
  /** ms of emulated time between a reply and the agent's next call (median) */
  toolDelayMedianMs?: number;
  outputTokensMedian?: number;
}

/** Four agents on the first alias, two on the second, one on each other: contention by design. */
export function defaultDemoAgents(fleet: FleetConfig, turns: number): DemoAgentSpec[] {
  const local = new Set(fleet.servers.filter((s) => s.kind === 'ollama').map((s) => s.name));
  const isLocal = (model: string): boolean =>
    fleet.models.some((m) => m.name === model && m.servers.some((s) => local.has(s)));
  const aliases = Object.entries(fleet.aliases)
    .filter(([, chain]) => chain[0] !== undefined && isLocal(chain[0]))
    .map(([alias]) => alias);
  const targets =
    aliases.length > 0 ? aliases : fleet.models.filter((m) => isLocal(m.name)).map((m) => m.name);
  return targets.flatMap((alias, i) =>
    Array.from({ length: i === 0 ? 4 : i === 1 ? 2 : 1 }, (_, k) => ({
      id: `${alias.replace(/[^a-z0-9]+/gi, '-')}-agent-${k + 1}`,
      alias,
      // Claude Code speaks Anthropic; the second group plays agents built on the OpenAI SDK
      api: i === 1 ? ('openai' as const) : ('anthropic' as const),
      turns,
    })),
  );
}

export async function runDemo(
  o: DemoOptions,
): Promise<{ runs: DemoRun[]; summaries: DemoSummary[]; waitTargetChecks: string[] }> {
  const runs: DemoRun[] = [];
  for (const policy of o.policies) runs.push(await runOnePolicy(o, policy));
  const summaries = runs.map(summarizeRun);
  return {
    runs,
    summaries,
    waitTargetChecks: runs[0] ? waitTargetChecks(o.fleet, runs[0], summaries[0]!.makespanSeconds) : [],
  };
}

/**
 * DESIGN.md's W_target feasibility check per local server, with the load (rho) measured in the
 * run: busy time (prefill + decode + loads) over the makespan.
 */
function waitTargetChecks(fleet: FleetConfig, run: DemoRun, makespanSeconds: number): string[] {
  const costs = resolveModelCosts(fleet);
  const lines: string[] = [];
  for (const server of fleet.servers.filter((s) => s.kind === 'ollama')) {
    const busyMs =
      run.rows.filter((r) => r.server === server.name).reduce((a, r) => a + r.prefillMs + r.decodeMs, 0) +
      run.loads.filter((l) => l.server === server.name).reduce((a, l) => a + l.endMs - l.startMs, 0);
    const rho = makespanSeconds > 0 ? Math.min(0.99, busyMs / 1000 / makespanSeconds) : 0;
    const check = serverWaitTargetCheck(costs, server.name, fleet.scheduler.waitTargetSeconds, rho);
    if (check)
      lines.push(
        `W_target check ${server.name} (measured load ${rho.toFixed(2)}): ${check.message}${check.suggestion ? `; ${check.suggestion}` : ''}`,
      );
  }
  return lines;
}

async function runOnePolicy(o: DemoOptions, policy: PolicyName): Promise<DemoRun> {
  const fleet: FleetConfig = { ...o.fleet, scheduler: { ...o.fleet.scheduler, policy } };
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const loads: LoadSpan[] = [];
  const loading = new Map<string, number>();
  let unloads = 0;
  const fleetEmulators = inProcessFleet(fleet, {
    clock,
    ids: () => sequentialIds(),
    onEvent: (server, e) => {
      const key = `${server}\u0000${'model' in e ? e.model : ''}`;
      if (e.type === 'load_started') loading.set(key, e.at);
      if (e.type === 'loaded' && 'model' in e)
        loads.push({ server, model: e.model, startMs: loading.get(key) ?? e.at, endMs: e.at });
      if (e.type === 'unloaded') unloads++;
    },
  });
  const store = openUsageStore(':memory:');
  try {
    const run = async (): Promise<DemoRun> => {
      // no cloud keys: the demo never leaves the machine; cloud fallbacks are disabled with a warning
      const composed = await composeGateway({
        fleet,
        clock,
        env: {},
        fetchFor: (server) => fleetEmulators.fetchFor(server),
        store,
        ids: sequentialIds(),
      });
      const calls = await runDemoAgents({
        fetch: (req) => Promise.resolve(composed.gateway.app.fetch(req)),
        baseUrl: 'http://orchestra.demo',
        clock,
        agents: o.agents ?? defaultDemoAgents(fleet, o.turns ?? 5),
        seed: o.seed,
        toolDelayMedianMs: o.toolDelayMedianMs ?? 8000,
        outputTokensMedian: o.outputTokensMedian ?? 150,
      });
      const baseline = savingsBaseline(fleet);
      const [all] = store.totals({});
      return {
        policy,
        calls,
        loads,
        unloads,
        rows: store.recent(1_000_000),
        savedUsd: baseline && all ? dollarsSaved(all, baseline) : 0,
        ...(baseline ? { baselineModel: baseline.model } : {}),
      };
    };
    return await runVirtual(clock, run());
  } finally {
    fleetEmulators.close();
    store.close();
  }
}
