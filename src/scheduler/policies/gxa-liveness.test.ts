// Regression: GXA left a call waiting forever when a queued request became overdue at an instant
// where `now - arrival >= W` rounded below W while the wake-up timer `arrival + W` equalled now (a
// timer for `now` never fires). Shrunk from a policy-contract counterexample.
import { describe, expect, it } from 'vitest';
import { FleetSchema } from '../../config/schema.ts';
import { DEFAULT_POLICY_OPTIONS } from '../scheduler-types.ts';
import { simulate } from '../simulator/simulator.ts';
import type { AgentSpec, Trace } from '../simulator/trace.ts';
import { policyByName } from './index.ts';

const MODELS = [
  { name: 'm32a', paramsB: 32, memoryGiB: 18.5, contextTokens: 4096, loadSeconds: 30 },
  { name: 'm32b', paramsB: 32, memoryGiB: 18.5, contextTokens: 4096, loadSeconds: 30 },
  { name: 'm14', paramsB: 14, memoryGiB: 8.4, contextTokens: 4096, loadSeconds: 12 },
];
const AGENTS = [
  { model: 0, start: 64851, turns: 4, work: 64223, tasks: 2 },
  { model: 0, start: 12190, turns: 4, work: 13397, tasks: 3 },
  { model: 0, start: 18885, turns: 1, work: 39118, tasks: 3 },
  { model: 1, start: 261894, turns: 2, work: 50695, tasks: 2 },
  { model: 1, start: 203234, turns: 2, work: 67687, tasks: 2 },
  { model: 1, start: 250389, turns: 5, work: 11085, tasks: 1 },
  { model: 1, start: 386074, turns: 4, work: 111972, tasks: 1 },
];

function agentSpecs(agents: typeof AGENTS): AgentSpec[] {
  return agents.map((a, i) => ({
    id: `a${i}`,
    model: MODELS[a.model]!.name,
    startMs: a.start,
    tasks: a.tasks,
    turns: a.turns,
    workMs: a.work * a.turns,
    offMedianMs: 60_000,
  }));
}

const trace: Trace = {
  name: 'gxa-liveness',
  description: 'a request overdue exactly at a timer instant',
  fleet: FleetSchema.parse({
    servers: [{ name: 's1', url: 'http://127.0.0.1:11434', memoryGiB: 21.3, resident: ['m32a'] }],
    models: MODELS.map((m) => ({ ...m, servers: ['s1'] })),
  }),
  options: { ...DEFAULT_POLICY_OPTIONS, hard: false, waitTargetMs: 300_000 },
  agents: agentSpecs(AGENTS),
  horizonMs: Infinity,
  toolDelayMedianMs: 5000,
  hints: false,
  workModel: true,
};

describe('gxa liveness', () => {
  it('serves every call when a request becomes overdue exactly at a timer instant', () => {
    const r = simulate(policyByName('gxa'), trace, 7);
    expect(r.calls).toBe(AGENTS.reduce((n, a) => n + a.turns * a.tasks, 0));
    expect(r.state.requests.size).toBe(0);
  });
});

// Regression: in hard mode, once the queued calls of two exclusive models were all past W_target,
// GXA evicted each model in the instant its load finished (its gate open, nothing served) for the
// other one, whose head was overdue too: loads and unloads forever, no call served. Shrunk from a
// policy-contract counterexample with hard mode on.
const HARD_AGENTS = [
  { model: 0, start: 0, turns: 2, work: 58088, tasks: 2 },
  { model: 0, start: 144761, turns: 4, work: 99312, tasks: 1 },
  { model: 0, start: 0, turns: 1, work: 1000, tasks: 1 },
  { model: 0, start: 198601, turns: 1, work: 87077, tasks: 3 },
  { model: 1, start: 114879, turns: 4, work: 13076, tasks: 3 },
];

const hardTrace: Trace = {
  ...trace,
  name: 'gxa-hard-liveness',
  description: 'hard mode with every queued call overdue',
  fleet: FleetSchema.parse({
    servers: [{ name: 's1', url: 'http://127.0.0.1:11434', memoryGiB: 21.3 }],
    models: MODELS.slice(0, 2).map((m) => ({ ...m, servers: ['s1'] })),
  }),
  options: { ...DEFAULT_POLICY_OPTIONS, hard: true, waitTargetMs: 300_000 },
  agents: agentSpecs(HARD_AGENTS),
};

describe('gxa liveness in hard mode', () => {
  it('serves a freshly loaded model before leaving it when every queued call is overdue', () => {
    const r = simulate(policyByName('gxa'), hardTrace, 7);
    expect(r.calls).toBe(HARD_AGENTS.reduce((n, a) => n + a.turns * a.tasks, 0));
    expect(r.state.requests.size).toBe(0);
  });
});
