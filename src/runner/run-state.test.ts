// The fold's per-agent counts agree with the run's: heals by the engine (inside an attempt) and by
// the runner (between attempts) both count for the agent and both are in the run's heal list.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/engine-types.ts';
import type { LoggedEvent, RunnerEvent } from './run-events.ts';
import { foldRun } from './run-state.ts';

let seq = 0;
const runner = (event: RunnerEvent): LoggedEvent => ({ seq: ++seq, at: seq, source: 'runner', event });
const engine = (agent: string, attempt: number, event: EngineEvent): LoggedEvent => ({
  seq: ++seq,
  at: seq,
  source: 'engine',
  agent,
  attempt,
  event,
});

describe('foldRun', () => {
  it('counts the engine heals and the runner heals of an agent', () => {
    const events = [
      runner({
        type: 'run_started',
        name: 't',
        inputs: {
          pipelineFile: 'p.yaml',
          pipelineText: '',
          fleetFile: 'f.yaml',
          fleetText: '',
          workspace: '/tmp/w',
          strategy: 'best',
          emulated: true,
        },
        plan: { strategy: 'sequential', makespanSeconds: 60, order: ['a', 'b'], slots: [], loads: [] },
      }),
      runner({ type: 'attempt_started', agent: 'a', attempt: 1, specialists: ['m'], hints: [] }),
      engine('a', 1, { type: 'failure', at: 0, step: 2, kind: 'failed_check', detail: 'exit 1' }),
      engine('a', 1, { type: 'heal', at: 0, step: 2, kind: 'failed_check', action: 'retry with the output' }),
      engine('a', 1, { type: 'heal', at: 0, step: 4, kind: 'invalid_tool_call', action: 're-ask' }),
      runner({
        type: 'attempt_finished',
        agent: 'a',
        attempt: 1,
        outcome: { status: 'failed', failure: 'timeout', message: 'slow', filesChanged: [] },
      }),
      runner({
        type: 'heal',
        agent: 'a',
        attempt: 1,
        failure: 'timeout',
        action: 'retry_after_backoff',
        detail: 'slow',
      }),
    ];
    const view = foldRun('r', events);
    expect(view.agents['a']!.heals).toBe(3);
    expect(view.agents['b']!.heals).toBe(0);
    expect(view.heals.map((h) => [h.agent, h.attempt, h.by, h.failure, h.action])).toEqual([
      ['a', 1, 'engine', 'failed_check', 'retry with the output'],
      ['a', 1, 'engine', 'invalid_tool_call', 're-ask'],
      ['a', 1, 'runner', 'timeout', 'retry_after_backoff'],
    ]);
    const total = Object.values(view.agents).reduce((n, a) => n + a.heals, 0);
    expect(total).toBe(view.heals.length);
  });
});
