// The arbiter's review after a consultation: modify, redirect and reject.
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import { agentSpec, decisions, engineHarness, json, type EngineHarness } from './engine-harness.ts';

const consult = json({
  action: 'consult',
  specialist: 'coder',
  instruction: 'Write src/add.ts.',
  acceptance: 'add(1, 2) is 3',
});
const review = (r: object): string => json({ action: 'review', review: r });
const finish = json({ action: 'finish', result: 'done' });
const write = (content: string) => ({
  content: '',
  toolCalls: [{ name: 'write_file', arguments: { path: 'src/add.ts', content } }],
});
/** a specialist that writes once per consultation, then answers */
const writer = (content: string) => (input: ResponderInput) =>
  input.messages.at(-1)?.role === 'tool' ? { content: `wrote: ${content}` } : write(content);
const lastUser = (input: ResponderInput): string =>
  [...input.messages].reverse().find((m) => m.role === 'user')!.content;

let h: EngineHarness | undefined;
afterEach(() => h?.close());

describe('engine: review paths', () => {
  it('modify: the same specialist gets the rewritten instruction, then the result is approved', async () => {
    h = await engineHarness({
      arbiter: [
        consult,
        review({ verdict: 'modify', instruction: 'Write src/add.ts with a JSDoc comment.' }),
        review({ verdict: 'approve' }),
        finish,
      ],
      coder: [writer('v1')],
    });
    const { outcome } = await h.run(agentSpec());
    expect(outcome.status).toBe('succeeded');
    const coderPrompts = h.seen.get('coder')!.map(lastUser);
    expect(coderPrompts.some((p) => p.includes('with a JSDoc comment'))).toBe(true);
    expect(h.files.writes).toBe(2);
  });

  it('redirect: another specialist gets the instruction', async () => {
    h = await engineHarness({
      arbiter: [
        consult,
        review({ verdict: 'redirect', specialist: 'tester', reason: 'needs tests first' }),
        review({ verdict: 'approve' }),
        finish,
      ],
      coder: [writer('coder')],
      tester: [writer('tester')],
    });
    const { outcome, log } = await h.run(agentSpec());
    expect(outcome.status).toBe('succeeded');
    expect(h.files.files.get('src/add.ts')).toBe('tester');
    expect(log.list.filter((e) => e.type === 'consultation').map((e) => e.specialist)).toEqual([
      'coder',
      'tester',
    ]);
  });

  it('a redirect to the same specialist is invalid and re-asked', async () => {
    h = await engineHarness({
      arbiter: [
        consult,
        review({ verdict: 'redirect', specialist: 'coder', reason: 'again' }),
        review({ verdict: 'approve' }),
        finish,
      ],
      coder: [writer('v')],
    });
    const { log } = await h.run(agentSpec());
    const d = decisions(log);
    expect(d[1]).toMatchObject({ decision: { review: { verdict: 'approve' } }, reasks: 1, source: 'model' });
    const reask = h.seen.get('arbiter')![2]!;
    expect(lastUser(reask)).toContain('redirect to another specialist than coder');
  });

  it('reject: the next prompt shows the rejection, and the approved retry counts as the success', async () => {
    h = await engineHarness({
      arbiter: [
        consult,
        review({ verdict: 'reject', reason: 'no types on the parameters' }),
        consult,
        review({ verdict: 'approve' }),
        finish,
      ],
      coder: [writer('x')],
    });
    const { outcome, log } = await h.run(agentSpec());
    expect(outcome.status).toBe('succeeded');
    const third = h.seen.get('arbiter')![2]!;
    expect(lastUser(third)).toContain('rejected the result of coder: no types on the parameters');
    // two consultations, one approved
    expect(log.list.filter((e) => e.type === 'consultation')).toHaveLength(2);
    expect(lastUser(h.seen.get('arbiter')![4]!)).toContain(
      'coder: the coder: writes code. (1/2 results approved)',
    );
  });
});
