// The same policy end to end: SchedulerService -> Ollama server control -> emulator (loads and
// unloads really happen in the emulated Ollama, on a manual clock), driven by the agents of a short
// trace; the swap count must match the simulator's for the same trace and seed.
import { describe, expect, it } from 'vitest';
import { ollamaServerControl } from '../../src/backends/ollama-server-control.ts';
import { FleetSchema } from '../../src/config/schema.ts';
import { createEmulator } from '../../src/emulator/emulator-app.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { policyByName } from '../../src/scheduler/policies/index.ts';
import type { ModelServerControl } from '../../src/scheduler/scheduler-port.ts';
import { SchedulerService, syncResidency } from '../../src/scheduler/scheduler-service.ts';
import { DEFAULT_POLICY_OPTIONS } from '../../src/scheduler/scheduler-types.ts';
import { simulate } from '../../src/scheduler/simulator/simulator.ts';
import type { AgentSpec, Trace } from '../../src/scheduler/simulator/trace.ts';

const MIN = 60_000;

function shortTrace(): Trace {
  const fleet = FleetSchema.parse({
    servers: [
      { name: 's1', url: 'http://s1.test:11434', profile: 'seed', memoryGiB: 24, resident: ['quality'] },
    ],
    models: [
      {
        name: 'quality',
        paramsB: 32,
        memoryGiB: 18.5,
        contextTokens: 8192,
        loadSeconds: 42,
        servers: ['s1'],
      },
      { name: 'latest', paramsB: 32, memoryGiB: 18.5, contextTokens: 8192, loadSeconds: 42, servers: ['s1'] },
      { name: 'fast', paramsB: 7, memoryGiB: 4.4, contextTokens: 32768, loadSeconds: 24, servers: ['s1'] },
    ],
  });
  const agents: AgentSpec[] = [
    { id: 'architect', model: 'quality', startMs: 0, tasks: 1, turns: 3, workMs: 3 * MIN },
    { id: 'python', model: 'latest', startMs: 0, after: ['architect'], tasks: 1, turns: 4, workMs: 4 * MIN },
    { id: 'go', model: 'latest', startMs: 0, after: ['architect'], tasks: 1, turns: 4, workMs: 4 * MIN },
    { id: 'qa', model: 'quality', startMs: 0, after: ['python', 'go'], tasks: 1, turns: 3, workMs: 3 * MIN },
    { id: 'credentials', model: 'fast', startMs: 0, after: ['qa'], tasks: 1, turns: 2, workMs: 2 * MIN },
  ];
  return {
    name: 'e2e',
    description: 'five agents, three models, one server',
    fleet,
    options: DEFAULT_POLICY_OPTIONS,
    agents,
    horizonMs: Infinity,
    toolDelayMedianMs: 0,
    hints: false,
    workModel: true,
  };
}

/** the trace's agents as real callers of the scheduler: submit, hold the lease for the work, release */
async function drive(trace: Trace, service: SchedulerService, clock: ManualClock): Promise<void> {
  const done = new Map<string, Promise<void>>();
  let seq = 0;
  const run = async (a: AgentSpec): Promise<void> => {
    await Promise.all((a.after ?? []).map((d) => done.get(d)!));
    for (let turn = 0; turn < a.turns!; turn++) {
      const lease = await service.submit({
        requestId: `r${seq++}`,
        model: a.model,
        agentId: a.id,
        promptTokens: 100,
      });
      await clock.sleep(a.workMs! / a.turns!);
      lease.release({ ok: true });
    }
  };
  for (const a of trace.agents) done.set(a.id, run(a));
  const all = Promise.all(done.values());
  let finished = false;
  void all.then(() => (finished = true));
  for (let i = 0; i < 100_000 && !finished; i++) await clock.advance(1000);
  await all;
}

describe('scheduler end to end through the emulator', () => {
  it('makes the swaps the simulator predicts for the same trace', async () => {
    const trace = shortTrace();
    const simulated = simulate(policyByName('gxa'), trace, 1);

    const clock = new ManualClock(0);
    const server = trace.fleet.servers[0]!;
    const emulator = createEmulator({ server, models: trace.fleet.models, clock });
    const emulatorFetch = (input: Request | string | URL, init?: RequestInit) => emulator.fetch(input, init);
    const ollama = ollamaServerControl({
      servers: trace.fleet.servers,
      models: trace.fleet.models,
      fetch: emulatorFetch,
      clock,
    });
    const loads: string[] = [];
    const control: ModelServerControl = {
      load: (s, m, signal) => (loads.push(m), ollama.load(s, m, signal)),
      unload: (s, m, signal) => ollama.unload(s, m, signal),
      loaded: (s, signal) => ollama.loaded(s, signal),
    };
    const resident = await syncResidency(trace.fleet, control);
    expect(resident).toEqual({ s1: ['quality'] });
    const service = new SchedulerService({ fleet: trace.fleet, control, clock, resident, policy: 'gxa' });
    const started = clock.now();
    try {
      await drive(trace, service, clock);
      // the emulated Ollama really holds the last model, and the loads took its modelled time
      expect(emulator.state().runners.map((r) => r.name)).toEqual(['fast']);
      expect(clock.now() - started).toBeGreaterThan(16 * MIN + 42_000 + 42_000 + 24_000);
    } finally {
      service.close();
      emulator.close();
    }
    expect(loads).toEqual(['latest', 'quality', 'fast']);
    expect(loads.length).toBe(simulated.swaps);
  });
});
