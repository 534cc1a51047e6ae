import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeGateway } from '../app.ts';
import { parseFleetText } from '../config/index.ts';
import { hashKey } from '../gateway/key-hash.ts';
import { ManualClock } from '../lib/clock.ts';
import { privateGateway } from './private-gateway.ts';

const FLEET_FILE = resolve(import.meta.dirname, '../../examples/mac-mini.yaml');

async function status(o: {
  fleet: ReturnType<typeof parseFleetText>;
  env: Record<string, string | undefined>;
}) {
  const composed = await composeGateway({ ...o, clock: new ManualClock(0) });
  const res = await composed.gateway.app.fetch(new Request('http://orchestra.run/v1/models'));
  await res.text();
  return res.status;
}

describe("the run's private gateway", () => {
  it('lets the engine in without a key where the served gateway asks for one', async () => {
    const base = parseFleetText(readFileSync(FLEET_FILE, 'utf8'), FLEET_FILE, { env: {} });
    const keyed = {
      ...base,
      gateway: {
        ...base.gateway,
        keys: [{ name: 'ci', hash: await hashKey('k-1', { N: 1024, r: 8, p: 1 }) }],
      },
    };
    const env = { ORCHESTRA_MASTER_KEY: 'm-1', ANTHROPIC_API_KEY: 'sk-ant-test' };
    // served as configured, a keyless call is refused: the run's engine sends no key
    expect(await status({ fleet: keyed, env })).toBe(401);
    const open = privateGateway(keyed, env);
    expect(await status({ ...open, env: { ...open.env } })).toBe(200);
    // cloud API keys stay for the cloud servers; the master key and named keys go
    expect(open.env).toEqual({ ANTHROPIC_API_KEY: 'sk-ant-test' });
    expect(open.fleet.gateway.keys).toEqual([]);
    expect(keyed.gateway.keys).toHaveLength(1);
  });
});
