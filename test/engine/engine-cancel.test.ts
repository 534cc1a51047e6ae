// A run cancelled in the middle of a model call ends `cancelled`, logs no result for that call,
// and a resume makes the call again and finishes.
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import { agentSpec, engineHarness, json, MemoryLog, types, type EngineHarness } from './engine-harness.ts';

const consult = json({
  action: 'consult',
  specialist: 'coder',
  instruction: 'Write a.ts.',
  acceptance: 'exists',
});
const approve = json({ action: 'review', review: { verdict: 'approve' } });
const finish = json({ action: 'finish', result: 'done' });

let h: EngineHarness | undefined;
afterEach(() => h?.close());

describe('engine: cancellation', () => {
  it('stops in a model call without logging its result, and resumes from there', async () => {
    const controller = new AbortController();
    const coder = (input: ResponderInput) => {
      if (!controller.signal.aborted) controller.abort();
      return input.messages.at(-1)?.role === 'tool'
        ? { content: 'ok' }
        : { content: '', toolCalls: [{ name: 'write_file', arguments: { path: 'a.ts', content: 'a' } }] };
    };
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [coder] });
    const log = new MemoryLog();
    const first = await h.run(agentSpec(), log, controller.signal);
    expect(first.outcome).toEqual({ status: 'cancelled' });
    expect(types(log).at(-1)).toBe('model_call_started');
    expect(h.files.writes).toBe(0);
    const resumed = await h.run(agentSpec(), new MemoryLog(log.list));
    expect(resumed.outcome).toMatchObject({ status: 'succeeded', filesChanged: ['a.ts'] });
    expect(h.files.writes).toBe(1);
  });
});
