// Invalid arbiter decisions: corrective re-asks, then the rule-based fallback; loop detection.
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import { agentSpec, decisions, engineHarness, json, type EngineHarness } from './engine-harness.ts';

const consult = json({
  action: 'consult',
  specialist: 'coder',
  instruction: 'Write src/add.ts.',
  acceptance: 'it exists',
});
const write = {
  content: '',
  toolCalls: [{ name: 'write_file', arguments: { path: 'src/add.ts', content: 'x' } }],
};
const writer = (input: ResponderInput) =>
  input.messages.at(-1)?.role === 'tool' ? { content: 'wrote it' } : write;
const lastUser = (input: ResponderInput): string =>
  [...input.messages].reverse().find((m) => m.role === 'user')!.content;

let h: EngineHarness | undefined;
afterEach(() => h?.close());

describe('engine: invalid decisions', () => {
  it('re-asks with the error, and takes the corrected decision', async () => {
    h = await engineHarness({
      arbiter: [
        'I think the coder should do it.',
        json({ action: 'consult', specialist: 'nobody', instruction: 'x', acceptance: 'y' }),
        consult,
        json({ action: 'review', review: { verdict: 'approve' } }),
        json({ action: 'finish', result: 'ok' }),
      ],
      coder: [writer],
    });
    const { outcome, log } = await h.run(agentSpec());
    expect(outcome.status).toBe('succeeded');
    expect(decisions(log)[0]).toMatchObject({
      source: 'model',
      reasks: 2,
      decision: { specialist: 'coder' },
    });
    const asks = h.seen.get('arbiter')!;
    expect(lastUser(asks[1]!)).toContain('expected one JSON object');
    expect(lastUser(asks[2]!)).toContain(
      'no specialist "nobody" is offered now; choose one of coder, tester, reviewer',
    );
  });

  it('after 3 re-asks the rules decide: consult, approve the valid result, finish', async () => {
    h = await engineHarness({ arbiter: ['not json'], coder: [writer] });
    const { outcome, log } = await h.run(agentSpec());
    const d = decisions(log);
    expect(d.map((x) => [x.decision.action, x.source, x.reasks])).toEqual([
      ['consult', 'fallback', 3],
      ['review', 'fallback', 3],
      ['finish', 'fallback', 3],
    ]);
    // 4 asks per decision: the first and 3 corrective re-asks
    expect(h.seen.get('arbiter')!).toHaveLength(12);
    expect(outcome).toMatchObject({ status: 'succeeded', filesChanged: ['src/add.ts'] });
  });
});

describe('engine: loop detection', () => {
  it('stops an arbiter repeating itself within 3 repeats, and breaks the loop with another specialist', async () => {
    // the arbiter always consults the coder with the same instruction and rejects every result
    const stubborn = (input: ResponderInput): string =>
      lastUser(input).includes('waiting for your review')
        ? json({ action: 'review', review: { verdict: 'reject', reason: 'not good' } })
        : consult;
    h = await engineHarness({ arbiter: [stubborn], coder: [writer], tester: [writer] });
    const { outcome, log } = await h.run(agentSpec());
    const loops = log.list.filter((e) => e.type === 'loop_detected');
    expect(loops.length).toBeGreaterThan(0);
    // the third identical consult is the one that trips it: never a fourth before the break
    const before = log.list.slice(0, log.list.indexOf(loops[0]!));
    expect(before.filter((e) => e.type === 'decision' && e.decision.action === 'consult')).toHaveLength(2);
    const d = decisions(log);
    const broken = d.find((x) => x.source === 'loop_breaker')!;
    expect(broken.decision).toMatchObject({ action: 'consult', specialist: 'tester' });
    // the second loop asks the user: the agent waits instead of spinning
    expect(outcome).toMatchObject({ status: 'waiting' });
    expect(d.filter((x) => x.source === 'loop_breaker').map((x) => x.decision.action)).toEqual([
      'consult',
      'ask_user',
    ]);
    expect(log.list.filter((e) => e.type === 'heal' && e.kind === 'loop_detected')).toHaveLength(2);
  });
});
