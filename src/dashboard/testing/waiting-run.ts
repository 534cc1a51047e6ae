// A run's log as the runner writes it, for the dashboard's tests: planned, two agents, one done,
// a heal, and the second waiting for the user. Written through the run store like any executor.
import type { RunnerEvent } from '../../runner/run-events.ts';
import type { RunStore } from '../../store/run-store.ts';

export const QUESTION = 'Which port should the service listen on?';

/** `emulated: false`: a run on real servers, on the wall clock */
export function writeWaitingRun(store: RunStore, runId: string, t0: number, emulated = true): void {
  const runner = (at: number, event: RunnerEvent): void => {
    store.append(runId, {
      at,
      source: 'runner',
      agent: 'agent' in event ? event.agent : null,
      attempt: 'attempt' in event ? event.attempt : null,
      type: event.type,
      body: event,
    });
  };
  runner(t0, {
    type: 'run_started',
    name: 'tdd-small',
    inputs: {
      pipelineFile: 'p.yaml',
      pipelineText: '',
      fleetFile: 'f.yaml',
      fleetText: '',
      workspace: '/tmp/ws',
      emulated,
      strategy: 'best',
    },
    plan: {
      strategy: 'campaign',
      makespanSeconds: 300,
      order: ['architect', 'implementer'],
      slots: [
        { agent: 'architect', model: 'qwen-quality', server: 'alpha', start: 0, end: 120 },
        { agent: 'implementer', model: 'qwen-latest', server: 'alpha', start: 150, end: 300 },
      ],
      loads: [],
    },
  });
  runner(t0 + 1000, {
    type: 'attempt_started',
    agent: 'architect',
    attempt: 1,
    specialists: ['qwen-quality'],
    hints: [],
  });
  runner(t0 + 90_000, {
    type: 'heal',
    agent: 'architect',
    attempt: 1,
    failure: 'invalid_tool_call',
    action: 'retry_changed_prompt',
    detail: 'write_file: missing path',
  });
  runner(t0 + 130_000, {
    type: 'agent_done',
    agent: 'architect',
    status: 'succeeded',
    result: 'notes stored',
    filesChanged: [],
  });
  runner(t0 + 131_000, {
    type: 'attempt_started',
    agent: 'implementer',
    attempt: 1,
    specialists: ['qwen-latest'],
    hints: [],
  });
  runner(t0 + 200_000, { type: 'ask_user', agent: 'implementer', question: QUESTION, attempt: 1 });
}
