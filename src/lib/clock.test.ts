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

  it('fires timers among sleeps in time order, and forgets a cancelled one', async () => {
    const clock = new ManualClock(0);
    const seen: Array<[string, number]> = [];
    clock.timer(200, () => seen.push(['timer', clock.now()]));
    const cancel = clock.timer(100, () => seen.push(['cancelled', clock.now()]));
    void clock.sleep(150).then(() => seen.push(['sleep', clock.now()]));
    cancel();
    expect(clock.pending).toBe(2);
    await clock.advance(300);
    expect(seen).toEqual([
      ['sleep', 150],
      ['timer', 200],
    ]);
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

describe('scaled clock: timer', () => {
  it('fires after its scaled time on the base clock unless cancelled', async () => {
    const base = new ManualClock(0);
    const clock = scaledClock(0.5, base); // 10 s of clock time take 5 s of the base's
    const fired: string[] = [];
    clock.timer(10_000, () => fired.push('kept'));
    const cancel = clock.timer(4_000, () => fired.push('cancelled'));
    cancel();
    await base.advance(4_999);
    expect(fired).toEqual([]);
    await base.advance(1);
    expect(fired).toEqual(['kept']);
  });
});
