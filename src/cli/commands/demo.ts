// `orchestra demo`: the main job on the embedded default fleet (npm start).
import { loadFleetFile, POLICY_NAMES, type PolicyName } from '../../config/index.ts';
import { defaultDemoAgents, runDemo } from '../../demo.ts';
import {
  formatComparison,
  formatFailures,
  medianSummary,
  type DemoRun,
  type DemoSummary,
} from '../../runner/demo-report.ts';
import { formatDemoTradeoff, parseWaitTargets, type TradeoffRow } from '../../runner/demo-tradeoff.ts';
import { numberFlag, parseFlags, UsageError, type Command } from '../command.ts';

const DEFAULT_FLEET = new URL('../../../examples/mac-mini.yaml', import.meta.url).pathname;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run coding agents through gateway, scheduler and the emulated fleet; compare policies',
  help: `Usage:
  orchestra demo [--config FILE] [--policies gxa,ollama] [--turns N] [--seeds N] [--seed N] [--json]
  orchestra demo --wait-targets 300,600,inf [--config FILE] [--turns N] [--seeds N] [--seed N]

Starts the emulated fleet (default: examples/mac-mini.yaml, one 32 GB Mac mini with two 32B models
that cannot be loaded together and a 7B), the gateway and the scheduler in process, and runs the
same closed-loop coding agents (Anthropic API, streaming, like Claude Code; OpenAI API) once per
policy on a virtual clock, for several seeds. Prints the medians over seeds of calls, model loads,
load time, waits per alias, tokens and the money saved against the configured cloud price, side by
side.

--config     fleet config (its Ollama servers are emulated; cloud servers are never called)
--policies   comma-separated: ${POLICY_NAMES.join(', ')} (default gxa,ollama)
--turns      calls per agent (default 5)
--seeds      how many seeds to run; figures are medians over them (default 3)
--seed       first seed of the agents' prompt and reply sizes (default 1)
--json       print one JSON document with every summary
--wait-targets  comma-separated W_target seconds ("inf": unbounded): runs GXA at each and Ollama
             once, and prints the trade-off of loads, median and max wait against Ollama's`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      config: { type: 'string' },
      policies: { type: 'string' },
      turns: { type: 'string' },
      seed: { type: 'string' },
      seeds: { type: 'string' },
      json: { type: 'boolean' },
      'wait-targets': { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const policies = (values.policies ?? 'gxa,ollama').split(',').map((p) => p.trim());
    for (const p of policies)
      if (!(POLICY_NAMES as readonly string[]).includes(p))
        throw new UsageError(
          `--policies: expected names from ${POLICY_NAMES.join(', ')}, found ${JSON.stringify(p)}`,
        );
    const turns = numberFlag(values.turns, '--turns', 5);
    if (!Number.isInteger(turns) || turns < 1)
      throw new UsageError(`--turns: expected a whole number >= 1, found ${turns}`);
    const seed = numberFlag(values.seed, '--seed', 1);
    // seeds feed a 32-bit generator: beyond that range two seeds would run the same agents
    if (!Number.isInteger(seed) || seed < 0 || seed > 2 ** 31 - 1)
      throw new UsageError(`--seed: expected a whole number from 0 to ${2 ** 31 - 1}, found ${seed}`);
    const seeds = numberFlag(values.seeds, '--seeds', 3);
    if (!Number.isInteger(seeds) || seeds < 1 || seeds > 50)
      throw new UsageError(`--seeds: expected a whole number from 1 to 50, found ${seeds}`);
    const file = values.config ?? DEFAULT_FLEET;
    const fleet = loadFleetFile(file, { env: {} });
    const agents = defaultDemoAgents(fleet, turns);
    if (!values.json) {
      io.out(
        `fleet ${file}: ${fleet.servers
          .filter((s) => s.kind === 'ollama')
          .map((s) => s.name)
          .join(', ')} (emulated)`,
      );
      io.out(`agents: ${agents.map((a) => `${a.id} -> ${a.alias} (${a.api})`).join(', ')}`);
      io.out(
        `${agents.length} agents x ${turns} turns, seeds ${seed}..${seed + seeds - 1} (medians), policies ${policies.join(', ')}\n`,
      );
    }
    if (values['wait-targets'] !== undefined) {
      let targets: number[];
      try {
        targets = parseWaitTargets(values['wait-targets']);
      } catch (e) {
        throw new UsageError(`--wait-targets: ${(e as Error).message}`);
      }
      const at = async (policy: PolicyName, w: number): Promise<DemoSummary> => {
        const waitTargetSeconds = Number.isFinite(w) ? w : Number.MAX_SAFE_INTEGER / 1000;
        const f = { ...fleet, scheduler: { ...fleet.scheduler, waitTargetSeconds } };
        const each: DemoSummary[] = [];
        for (let k = 0; k < seeds; k++)
          each.push((await runDemo({ fleet: f, policies: [policy], seed: seed + k, agents })).summaries[0]!);
        return medianSummary(each);
      };
      const ollama = await at('ollama', fleet.scheduler.waitTargetSeconds);
      const rows: TradeoffRow[] = [];
      for (const w of targets) rows.push({ waitTargetSeconds: w, gxa: await at('gxa', w) });
      for (const line of formatDemoTradeoff(ollama, rows)) io.out(line);
      return 0;
    }
    const perSeed: DemoSummary[][] = [];
    const runs: DemoRun[] = [];
    let waitTargetChecks: string[] = [];
    for (let k = 0; k < seeds; k++) {
      const r = await runDemo({ fleet, policies: policies as PolicyName[], seed: seed + k, agents });
      perSeed.push(r.summaries);
      runs.push(...r.runs);
      if (k === 0) waitTargetChecks = r.waitTargetChecks;
    }
    const summaries = policies.map((_, i) => medianSummary(perSeed.map((run) => run[i]!)));
    if (values.json)
      io.out(
        JSON.stringify(
          { fleet: file, seeds: { first: seed, count: seeds }, turns, summaries, perSeed, waitTargetChecks },
          null,
          2,
        ),
      );
    else {
      for (const line of [...formatComparison(summaries), '', ...waitTargetChecks]) io.out(line);
      io.out(
        `what a tighter or looser W_target trades (median against max wait): orchestra demo --wait-targets ${[0.5, 1, 1.5, 2].map((k) => Math.round(k * fleet.scheduler.waitTargetSeconds)).join(',')},inf`,
      );
      const failures = formatFailures(runs);
      if (failures.length > 0) io.out(['', ...failures].join('\n'));
    }
    return perSeed.flat().some((s) => s.failed > 0) ? 1 : 0;
  },
};
