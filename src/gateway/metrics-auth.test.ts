// GET /metrics and gateway.metrics.auth: by default a key is needed exactly when the API needs one.
import { describe, expect, it } from 'vitest';
import type { FleetInput } from '../config/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { createGateway } from './app.ts';
import { hashKey } from './key-hash.ts';
import { fakeScheduler, scriptedBackends, testFleet, textReply } from './testing/fakes.ts';

async function gateway(o: { master?: string; named?: string; auth?: boolean }) {
  const gatewayConfig: FleetInput['gateway'] = {
    keys: o.named ? [{ name: 'ci', hash: await hashKey(o.named, { N: 1024, r: 8, p: 1 }) }] : [],
    ...(o.auth === undefined ? {} : { metrics: { auth: o.auth } }),
  };
  const fleet = testFleet({ gateway: gatewayConfig });
  const clock = new ManualClock(0);
  const gw = createGateway({
    fleet,
    clock,
    scheduler: fakeScheduler(clock, fleet),
    backends: scriptedBackends(clock, (m) => textReply('hi', m.name)),
    env: o.master ? { ORCHESTRA_MASTER_KEY: o.master } : {},
  });
  return async (key?: string): Promise<number> => {
    const res = await gw.fetch(
      new Request('http://gw/metrics', key ? { headers: { authorization: `Bearer ${key}` } } : {}),
    );
    await res.text();
    return res.status;
  };
}

describe('GET /metrics', () => {
  it('asks for a key by default when a master key or named keys are configured', async () => {
    const withMaster = await gateway({ master: 'm-1' });
    expect(await withMaster()).toBe(401);
    expect(await withMaster('wrong')).toBe(401);
    expect(await withMaster('m-1')).toBe(200);
    const withNamed = await gateway({ named: 'k-1' });
    expect(await withNamed()).toBe(401);
    expect(await withNamed('k-1')).toBe(200);
  });

  it('is open by default when the gateway runs open, and with auth: false', async () => {
    expect(await (await gateway({}))()).toBe(200);
    expect(await (await gateway({ master: 'm-1', auth: false }))()).toBe(200);
  });

  it('auth: true without any key is refused at start, naming the setting', async () => {
    await expect(gateway({ auth: true })).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining('gateway.metrics.auth is true, but no key is configured'),
    });
  });
});
