// Resume from a partial event log: the agent is "killed" at every append of a reference run (the
// log throws instead of persisting), then run again over what was persisted. It must end as the
// uninterrupted run did, with the same events, a started model call asked again and no tool effect
// whose result was logged applied again.
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import { agentSpec, engineHarness, json, MemoryLog, types, type EngineHarness } from './engine-harness.ts';

const lastUser = (input: ResponderInput): string =>
  [...input.messages].reverse().find((m) => m.role === 'user')!.content;
// replies that depend on the request only, so a repeated request gets the same reply
const arbiter = (input: ResponderInput): string => {
  const last = lastUser(input);
  if (last.includes('waiting for your review'))
    return json({ action: 'review', review: { verdict: 'approve' } });
  if (last.includes('approved the result')) return json({ action: 'finish', result: 'done' });
  return json({
    action: 'consult',
    specialist: 'coder',
    instruction: 'Write two files.',
    acceptance: 'both exist',
  });
};
const coder = (input: ResponderInput) => {
  const tools = input.messages.filter((m) => m.role === 'tool').length;
  if (tools >= 2) return { content: 'Wrote a.ts and b.ts.' };
  const path = tools === 0 ? 'a.ts' : 'b.ts';
  return { content: '', toolCalls: [{ name: 'write_file', arguments: { path, content: path } }] };
};

let h: EngineHarness | undefined;
afterEach(() => h?.close());

describe('engine: resume from a partial log', () => {
  it('ends like the uninterrupted run after a crash at any event', async () => {
    h = await engineHarness({ arbiter: [arbiter], coder: [coder] });
    const reference = await h.run(agentSpec());
    const refTypes = types(reference.log);
    const refCalls = h.seen.get('arbiter')!.length + h.seen.get('coder')!.length;
    expect(reference.outcome.status).toBe('succeeded');
    expect(h.files.writes).toBe(2);
    h.close();
    for (let k = 1; k < refTypes.length; k++) {
      h = await engineHarness({ arbiter: [arbiter], coder: [coder] });
      const log = new MemoryLog();
      log.crashAfter = k;
      await expect(h.run(agentSpec(), log)).rejects.toThrow('crash (test)');
      log.crashAfter = undefined;
      const resumed = await h.run(agentSpec(), new MemoryLog(log.list));
      expect(resumed.outcome, `crash at event ${k}`).toEqual(reference.outcome);
      expect(types(resumed.log), `crash at event ${k}`).toEqual(refTypes);
      const calls = h.seen.get('arbiter')!.length + (h.seen.get('coder')?.length ?? 0);
      // the model call whose result was not persisted is asked again; nothing else is
      expect(calls, `crash at event ${k}`).toBe(refTypes[k] === 'model_call' ? refCalls + 1 : refCalls);
      // a tool effect whose result was logged is not applied again; one cut off before its result
      // is applied again with the same idempotency key
      const lostResult = refTypes[k] === 'tool_effect';
      expect(h.files.writes, `crash at event ${k}`).toBe(lostResult ? 3 : 2);
      if (lostResult) expect(new Set(h.files.keys).size).toBe(2);
      h.close();
      h = undefined;
    }
  });

  it('refuses a log of another agent instead of diverging silently', async () => {
    h = await engineHarness({ arbiter: [arbiter], coder: [coder] });
    const { log } = await h.run(agentSpec());
    const foreign = new MemoryLog(log.list.filter((e) => e.type !== 'model_call_started'));
    await expect(h.run(agentSpec(), foreign)).rejects.toThrow(
      /event log does not match the agent's replay at event 2/,
    );
  });
});
