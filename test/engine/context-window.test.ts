import { afterEach, describe, expect, it } from 'vitest';
import {
  contextWindowFromFleet,
  contextWindowFromShow,
  resolveSpecialist,
} from '../../src/engine/context-window.ts';
import { BASE, gatewayHarness, type GatewayHarness } from '../e2e/gateway-harness.ts';
import { engineFleet } from './engine-harness.ts';

let h: GatewayHarness | undefined;
afterEach(() => h?.close());

describe('context windows', () => {
  it('come from the fleet config: the smallest along the alias chain', () => {
    const fleet = engineFleet();
    expect(contextWindowFromFleet(fleet, 'coder')).toBe(8192);
    expect(contextWindowFromFleet(fleet, 'nothing')).toBeUndefined();
  });

  it("come from the gateway's /api/show when only the gateway is known", async () => {
    h = await gatewayHarness({ fleet: engineFleet() });
    const connection = { baseURL: `${BASE}/v1`, fetch: h.fetch };
    expect(await contextWindowFromShow(connection, 'coder')).toBe(8192);
    await expect(contextWindowFromShow(connection, 'nope')).rejects.toThrow(
      /\/api\/show for nope answered 404/,
    );
    const s = await resolveSpecialist(
      { name: 'c', alias: 'coder', role: 'r', temperature: 0, tools: [] },
      { connection },
    );
    expect(s.contextWindow).toBe(8192);
  });

  it('say clearly when there is nothing to look the window up in', async () => {
    await expect(
      resolveSpecialist({ name: 'c', alias: 'coder', role: 'r', temperature: 0, tools: [] }, {}),
    ).rejects.toThrow(/specialist c: no contextWindow, and neither a fleet nor a gateway/);
  });
});
