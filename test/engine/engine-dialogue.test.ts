// Two specialists talk a question through; the arbiter reviews each turn.
import { afterEach, describe, expect, it } from 'vitest';
import { agentSpec, engineHarness, json, type EngineHarness } from './engine-harness.ts';

let h: EngineHarness | undefined;
afterEach(() => h?.close());

const talk = json({
  action: 'dialogue',
  specialists: ['coder', 'reviewer'],
  question: 'Should add() accept strings?',
});

describe('engine: dialogue', () => {
  it('runs turns until the arbiter stops it, and both threads keep the transcript', async () => {
    h = await engineHarness({
      arbiter: [
        talk,
        json({ verdict: 'continue' }),
        json({ verdict: 'modify', message: 'Numbers only: strings are out of scope.' }),
        json({ verdict: 'stop', outcome: 'add() takes numbers only' }),
        json({ action: 'finish', result: 'decided: numbers only' }),
      ],
      coder: ['I would accept numeric strings too.', 'Agreed, numbers only.'],
      reviewer: ['Strings invite bugs; numbers only.'],
    });
    const { outcome, log } = await h.run(agentSpec());
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'decided: numbers only' });
    const turns = log.list.filter((e) => e.type === 'dialogue_turn');
    expect(turns.map((t) => [t.speaker, t.review])).toEqual([
      ['coder', 'continue'],
      ['reviewer', 'modify'],
      ['coder', 'stop'],
    ]);
    // the reviewer heard the coder's turn, named as the coder's
    const reviewerSaw = h.seen.get('reviewer')![0]!.messages.map((m) => m.content);
    expect(reviewerSaw).toContain('[coder] I would accept numeric strings too.');
    // the coder's thread has its own first turn and the arbiter's rewrite of the reviewer's reply
    const coderSaw = h.seen.get('coder')![1]!.messages;
    expect(
      coderSaw.some((m) => m.role === 'assistant' && m.content === 'I would accept numeric strings too.'),
    ).toBe(true);
    expect(coderSaw.some((m) => m.content === '[reviewer] Numbers only: strings are out of scope.')).toBe(
      true,
    );
    // the outcome is what the next decision is shown
    const last = h.seen.get('arbiter')!.at(-1)!.messages.at(-1)!.content;
    expect(last).toContain('add() takes numbers only');
  });

  it('leaves the whole transcript and the conclusion in both threads for later work', async () => {
    h = await engineHarness({
      arbiter: [
        talk,
        json({ verdict: 'continue' }),
        json({ verdict: 'stop', outcome: 'add() takes numbers only' }),
        json({
          action: 'consult',
          specialist: 'reviewer',
          instruction: 'Review add().',
          acceptance: 'a verdict',
        }),
        json({ action: 'review', review: { verdict: 'approve' } }),
        json({
          action: 'consult',
          specialist: 'coder',
          instruction: 'Write add().',
          acceptance: 'it exists',
        }),
        json({ action: 'review', review: { verdict: 'approve' } }),
        json({ action: 'finish', result: 'ok' }),
      ],
      coder: ['I would accept numeric strings too.', 'Done.'],
      reviewer: ['Strings invite bugs; numbers only.', 'Looks right.'],
    });
    const { outcome } = await h.run(agentSpec());
    expect(outcome.status).toBe('succeeded');
    const end =
      'End of the dialogue on "Should add() accept strings?". The arbiter concluded: add() takes numbers only';
    const texts = (role: 'coder' | 'reviewer') =>
      h!.seen
        .get(role)!
        .at(-1)!
        .messages.map((m) => m.content);
    // the reviewer's consultation after the dialogue: both turns, then the conclusion
    expect(texts('reviewer')).toEqual(
      expect.arrayContaining([
        '[coder] I would accept numeric strings too.',
        'Strings invite bugs; numbers only.',
        end,
      ]),
    );
    // the coder heard the last turn (the one the arbiter stopped on) and the conclusion too
    expect(texts('coder')).toEqual(
      expect.arrayContaining([
        'I would accept numeric strings too.',
        '[reviewer] Strings invite bugs; numbers only.',
        end,
      ]),
    );
  });

  it('stops after the turn limit with the last reply when the arbiter never stops it', async () => {
    h = await engineHarness({
      arbiter: [
        talk,
        json({ verdict: 'continue' }),
        json({ verdict: 'continue' }),
        json({ verdict: 'continue' }),
        json({ verdict: 'continue' }),
        json({ action: 'finish', result: 'ok' }),
      ],
      coder: ['c'],
      reviewer: ['r'],
    });
    const { log } = await h.run(agentSpec({ limits: { maxDialogueTurns: 4 } }));
    expect(log.list.filter((e) => e.type === 'dialogue_turn')).toHaveLength(4);
  });
});
