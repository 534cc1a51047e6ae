// A specialist's record counts a consultation as a success only when its result was valid and
// executed; the rules never approve a result whose tool calls all failed.
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import { agentSpec, decisions, engineHarness, json, type EngineHarness } from './engine-harness.ts';

const consult = json({
  action: 'consult',
  specialist: 'coder',
  instruction: 'Fix src/add.ts.',
  acceptance: 'add(1, 2) is 3',
});
const approve = json({ action: 'review', review: { verdict: 'approve' } });
const finish = json({ action: 'finish', result: 'done' });
/** reads a file that is not there, then answers as if it had worked */
const failingReader = (input: ResponderInput) =>
  input.messages.some((m) => m.role === 'tool')
    ? { content: 'Fixed it.' }
    : { content: '', toolCalls: [{ name: 'read_file', arguments: { path: 'src/missing.ts' } }] };
const writer = (input: ResponderInput) =>
  input.messages.at(-1)?.role === 'tool'
    ? { content: 'wrote it' }
    : { content: '', toolCalls: [{ name: 'write_file', arguments: { path: 'src/add.ts', content: 'x' } }] };
const lastUser = (input: ResponderInput): string =>
  [...input.messages].reverse().find((m) => m.role === 'user')!.content;

let h: EngineHarness | undefined;
afterEach(() => h?.close());

describe('engine: specialist stats', () => {
  it('an approved result whose only tool call failed is a call, not a success', async () => {
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [failingReader] });
    const { outcome } = await h.run(agentSpec());
    expect(outcome).toMatchObject({ status: 'succeeded', stats: { coder: { calls: 1, successes: 0 } } });
    // the arbiter was told before it approved
    expect(lastUser(h.seen.get('arbiter')![1]!)).toContain('tool calls executed: 0, failed: 1');
  });

  it('the rules reject a result with no executed call, then go to a specialist with a better record', async () => {
    h = await engineHarness({ arbiter: ['not json'], coder: [failingReader], tester: [writer] });
    const { outcome, log } = await h.run(agentSpec());
    const d = decisions(log).map((x) => x.decision);
    expect(d[0]).toMatchObject({ action: 'consult', specialist: 'coder' });
    expect(d[1]).toEqual({
      action: 'review',
      review: { verdict: 'reject', reason: 'none of its 1 tool calls succeeded' },
    });
    expect(d[2]).toMatchObject({ action: 'consult', specialist: 'tester' });
    expect(d.slice(3).map((x) => x.action)).toEqual(['review', 'finish']);
    expect(outcome).toMatchObject({
      status: 'succeeded',
      stats: { coder: { calls: 1, successes: 0 }, tester: { calls: 1, successes: 1 } },
    });
  });
});

describe('engine: loop detection on approvals', () => {
  it('approving the same work again is no progress: the loop is caught within 3 repeats', async () => {
    // the arbiter consults the coder with one instruction and approves every result, never finishing
    const approver = (input: ResponderInput): string =>
      lastUser(input).includes('waiting for your review') ? approve : consult;
    h = await engineHarness({ arbiter: [approver], coder: [writer], tester: [writer] });
    const { outcome, log } = await h.run(agentSpec());
    const loops = log.list.filter((e) => e.type === 'loop_detected');
    expect(loops.length).toBe(2);
    // the first approval is progress; the same consult after it is made twice more, and its third
    // repeat is caught before it runs
    const before = log.list.slice(0, log.list.indexOf(loops[0]!));
    expect(before.filter((e) => e.type === 'decision' && e.decision.action === 'consult')).toHaveLength(3);
    expect(before.filter((e) => e.type === 'consultation')).toHaveLength(3);
    expect(loops[0]).toMatchObject({ breaker: expect.stringContaining('consult tester') as string });
    // the second loop asks the user instead of spinning to the decision limit
    expect(outcome).toMatchObject({ status: 'waiting' });
    expect(decisions(log).length).toBeLessThan(15);
  });
});
