import { describe, expect, it } from 'vitest';
import { ManualClock, runVirtual, scaledClock } from './clock.ts';

describe('ManualClock', () => {
  it('fires sleeps in time order, each at its own instant', async () => {
    const clock = new ManualClock(1000);
    const seen: Array<[string, number]> = [];
    void clock.sleep(300).then(() => seen.push(['b', clock.now()]));
    void clock.sleep(100).then(() => seen.push(['a', clock.now()]));
    await clock.advance(250);
    expect(seen).toEqual([['a', 1100]]);
    await clock.advance(100);
    expect(seen).toEqual([
      ['a', 1100],
      ['b', 1300],
    ]);
    expect(clock.now()).toBe(1350);
  });

  it('rejects an aborted sleep and forgets its timer', async () => {
    const clock = new ManualClock();
    const ac = new AbortController();
    const p = clock.sleep(100, ac.signal);
    ac.abort();
    await expect(p).rejects.toThrow();
    expect(clock.pending).toBe(0);
  });

  it('runs chained sleeps in virtual time', async () => {
    const clock = new ManualClock(0);
    const task = (async () => {
      for (let i = 0; i < 5; i++) await clock.sleep(40_000);
      return clock.now();
    })();
    await expect(runVirtual(clock, task)).resolves.toBe(200_000);
  });

  it('reports a task stuck with no timer instead of hanging', async () => {
    const clock = new ManualClock(0);
    const never = new Promise<void>((resolve) => void resolve);
    await expect(runVirtual(clock, never, { ioGraceMs: 0 })).rejects.toThrow(/stuck/);
  });
});

describe('scaledClock', () => {
  it('refuses a non-positive scale', () => {
    expect(() => scaledClock(0)).toThrow(/positive/);
  });
});
