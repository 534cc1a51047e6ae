import { describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.ts';
import { Watchdog } from './watchdog.ts';

describe('watchdog', () => {
  it('rejects a pending race and aborts its signal when the deadline passes, even if the promise never settles', async () => {
    const clock = new ManualClock(0);
    const w = new Watchdog(clock);
    w.arm(1000, 'too slow');
    const pending = w.race(new Promise<never>(() => {}));
    const check = expect(pending).rejects.toMatchObject({ code: 'upstream_timeout', message: 'too slow' });
    await clock.advance(999);
    expect(w.signal.aborted).toBe(false);
    await clock.advance(1);
    await check;
    expect(w.signal.aborted).toBe(true);
    await expect(w.race(Promise.resolve(1))).rejects.toMatchObject({ code: 'upstream_timeout' });
  });

  it('moves the deadline later per event and wakes for an earlier one', async () => {
    const clock = new ManualClock(0);
    const w = new Watchdog(clock);
    w.arm(10_000, 'total');
    w.arm(100, 'connect'); // earlier: a new sleep
    await clock.advance(50);
    w.arm(100, 'idle'); // later: picked up when the sleep wakes
    await clock.advance(60);
    expect(w.signal.aborted).toBe(false);
    expect(await w.race(Promise.resolve('event'))).toBe('event');
    await clock.advance(100);
    expect(w.signal.reason).toMatchObject({ message: 'idle' });
  });

  it('does nothing once stopped', async () => {
    const clock = new ManualClock(0);
    const w = new Watchdog(clock);
    w.arm(10, 'x');
    w.stop();
    await clock.advance(100);
    expect(w.signal.aborted).toBe(false);
    expect(clock.pending).toBe(0);
  });
});
