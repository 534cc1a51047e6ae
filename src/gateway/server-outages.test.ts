import { describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.ts';
import { ServerOutages } from './server-outages.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 1, 3);

function setup(answers: boolean[]) {
  const clock = new ManualClock(T0);
  const probes: number[] = [];
  const recovered: Array<[string, number]> = [];
  const outages = new ServerOutages({
    clock,
    intervalMs: 2000,
    probe: () => {
      probes.push(clock.now() - T0);
      return Promise.resolve(answers.shift() ?? true);
    },
    onRecovered: (server, o) => recovered.push([server, clock.now() - o.since]),
  });
  return { clock, outages, probes, recovered };
}

describe('server outages', () => {
  it('probes a down server every interval, however long it stays down, and clears it at the first answer', async () => {
    const t = setup([false, false, false, false, false, true]);
    t.outages.failed('mac-mini', 'connect ECONNREFUSED');
    expect(t.outages.describe('mac-mini')).toBe(
      'down since 12:01:03 UTC (connect ECONNREFUSED), next check in 2 s',
    );
    await t.clock.advance(11_000);
    // no back-off between probes: a server that returns is seen within one interval
    expect(t.probes).toEqual([2000, 4000, 6000, 8000, 10000]);
    expect(t.outages.describe('mac-mini')).toBe(
      'down since 12:01:03 UTC (connect ECONNREFUSED), next check in 1 s',
    );
    await t.clock.advance(1000);
    expect(t.outages.outage('mac-mini')).toBeUndefined();
    expect(t.recovered).toEqual([['mac-mini', 12_000]]);
    await t.clock.runAll();
    expect(t.probes).toHaveLength(6); // nothing probes a server that is up
  });

  it('keeps the first failure time and one probe loop for repeated failures', async () => {
    const t = setup([false, true]);
    t.outages.failed('a', 'refused');
    await t.clock.advance(500);
    t.outages.failed('a', 'reset');
    expect(t.outages.outage('a')).toMatchObject({ since: T0, reason: 'refused', nextCheckAt: T0 + 2000 });
    await t.clock.advance(4000);
    expect(t.probes).toEqual([2000, 4000]);
    expect(t.outages.active()).toEqual([]);
  });

  it('a request that reaches the server ends the outage at once', async () => {
    const t = setup([false]);
    t.outages.failed('a', 'refused');
    t.outages.reached('a');
    expect(t.outages.outage('a')).toBeUndefined();
    expect(t.recovered).toHaveLength(1);
    await t.clock.runAll();
    expect(t.probes).toEqual([]);
  });

  it('a failing probe counts as down; close stops probing', async () => {
    const clock = new ManualClock(0);
    let n = 0;
    const outages = new ServerOutages({
      clock,
      intervalMs: 1000,
      probe: () => {
        n++;
        return Promise.reject(new Error('boom'));
      },
    });
    outages.failed('a', 'refused');
    await clock.advance(3000);
    expect(n).toBe(3);
    expect(outages.outage('a')).toBeDefined();
    outages.close();
    await clock.advance(5000);
    expect(n).toBe(3);
  });
});
