import { describe, expect, it } from 'vitest';
import { decideHeal, type HealHistory } from './heal-policy.ts';

const h = (o: Partial<HealHistory> = {}): HealHistory => ({
  attempts: 1,
  failures: [],
  specialists: 2,
  specialistsTried: 1,
  runStalls: 0,
  replans: 0,
  rolledBack: false,
  maxAttempts: 4,
  ...o,
});

describe('heal policy', () => {
  it('retries a failed check with its output, then switches specialist', () => {
    const first = decideHeal('failed_check', 'not ok 1 - add', h({ failures: ['failed_check'] }));
    expect(first.action).toBe('retry_changed_prompt');
    expect(first.hint).toContain('not ok 1 - add');
    expect(
      decideHeal('failed_check', 'x', h({ attempts: 2, failures: ['failed_check', 'failed_check'] })).action,
    ).toBe('other_specialist');
  });

  it('names the failure in the prompt for invalid and unknown tool calls', () => {
    const d = decideHeal('unknown_tool', 'no tool run_tests', h({ failures: ['unknown_tool'] }));
    expect(d).toMatchObject({ action: 'retry_changed_prompt' });
    expect(d.hint).toMatch(/does not exist/);
  });

  it('backs off on a backend that is down, longer the second time', () => {
    expect(decideHeal('backend_down', '', h({ failures: ['backend_down'] }))).toMatchObject({
      action: 'retry_after_backoff',
      delayMs: 5000,
    });
    expect(
      decideHeal('backend_down', '', h({ attempts: 2, failures: ['backend_down', 'backend_down'] })),
    ).toMatchObject({
      delayMs: 10000,
    });
  });

  it('re-plans on the third stall of the run', () => {
    expect(decideHeal('stall', '', h({ failures: ['stall'], runStalls: 3 })).action).toBe('replan');
    expect(decideHeal('stall', '', h({ failures: ['stall'], runStalls: 1 })).action).toBe(
      'retry_changed_prompt',
    );
  });

  it('breaks a loop with another specialist, else a re-plan', () => {
    expect(decideHeal('loop_detected', '', h({ failures: ['loop_detected'] })).action).toBe(
      'other_specialist',
    );
    expect(decideHeal('loop_detected', '', h({ failures: ['loop_detected'], specialists: 1 })).action).toBe(
      'replan',
    );
  });

  it('rolls back when nothing is left, and asks the user after a rollback', () => {
    const spent = h({ attempts: 4, failures: ['stall', 'stall', 'stall', 'stall'], specialistsTried: 2 });
    expect(decideHeal('stall', '', spent).action).toBe('rollback');
    expect(decideHeal('stall', '', { ...spent, rolledBack: true }).action).toBe('ask_user');
  });
});
