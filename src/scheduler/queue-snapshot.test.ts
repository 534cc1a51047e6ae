// The snapshot the dashboard and /admin/queue show: memory, models with their phase, the visit, the
// committed swap, aliases of queued and running requests; and the change notifications.
import { describe, expect, it } from 'vitest';
import { FleetSchema } from '../config/schema.ts';
import { ManualClock, settle } from '../lib/clock.ts';
import type { ModelServerControl } from './scheduler-port.ts';
import { SchedulerService } from './scheduler-service.ts';

const fleet = FleetSchema.parse({
  servers: [{ name: 'mini', url: 'http://127.0.0.1:11434', profile: 'm4-32', memoryGiB: 21.3 }],
  models: [
    { name: 'big', paramsB: 32, memoryGiB: 18.5, contextTokens: 4096, servers: ['mini'], loadSeconds: 40 },
    { name: 'other', paramsB: 32, memoryGiB: 18.5, contextTokens: 4096, servers: ['mini'], loadSeconds: 40 },
  ],
  scheduler: { waitTargetSeconds: 120 },
});

function setup() {
  const clock = new ManualClock(1_000_000);
  const control: ModelServerControl = {
    load: async () => {
      await clock.sleep(40_000);
      return { loadMs: 40_000 };
    },
    unload: () => Promise.resolve(),
    loaded: () => Promise.resolve(['big']),
  };
  const service = new SchedulerService({ fleet, control, clock, resident: { mini: ['big'] } });
  return { clock, service };
}

// no agent id: an agent between two turns would hold its model (no swap mid-agent)
const req = (id: string, model: string, alias?: string) => ({
  requestId: id,
  model,
  promptTokens: 500,
  maxOutputTokens: 100,
  ...(alias ? { alias } : {}),
});

describe('queue snapshot', () => {
  it('shows memory, the resident model, the visit and the wait bound', () => {
    const { service } = setup();
    const snap = service.snapshot();
    expect(snap).toMatchObject({ policy: 'gxa', waitTargetMs: 120_000, atMs: 1_000_000 });
    expect(snap.servers[0]).toMatchObject({
      name: 'mini',
      memoryGiB: 21.3,
      resident: ['big'],
      models: [{ model: 'big', phase: 'resident', running: 0, queued: 0 }],
      visit: { model: 'big', sinceMs: 0 },
    });
    // weights and the KV cache at the model's context
    const big = snap.servers[0]!.models[0]!;
    expect(big.memoryGiB).toBeGreaterThan(18.5);
    expect(snap.servers[0]!.usedGiB).toBe(big.memoryGiB);
    expect(snap.servers[0]!.nextSwap).toBeUndefined();
  });

  it('names the alias of running and queued requests and the swap it commits to', async () => {
    const { service, clock } = setup();
    const changes: number[] = [];
    const off = service.subscribe(() => changes.push(clock.now()));
    const lease = await service.submit(req('a', 'big', 'coder'));
    expect(service.snapshot().servers[0]!.inFlight).toEqual([
      { requestId: 'a', model: 'big', alias: 'coder', agentId: 'a' },
    ]);
    const waiting = service.submit(req('b', 'other', 'writer'));
    await clock.advance(1000);
    const s1 = service.snapshot().servers[0]!;
    expect(s1.queued).toEqual([
      { requestId: 'b', model: 'other', alias: 'writer', agentId: 'b', waitedMs: 1000, position: 1 },
    ]);
    lease.release({ ok: true });
    await settle();
    // big idle, other waits: the swap starts (big unloading or other loading)
    const s2 = service.snapshot().servers[0]!;
    expect(s2.nextSwap?.load).toBe('other');
    expect(['unloading', 'loading']).toContain(s2.nextSwap?.stage);
    await clock.advance(40_000);
    const b = await waiting;
    const s3 = service.snapshot().servers[0]!;
    expect(s3).toMatchObject({ resident: ['other'], visit: { model: 'other' } });
    expect(s3.models[0]).toMatchObject({ model: 'other', phase: 'resident', running: 1 });
    expect(s3.nextSwap).toBeUndefined();
    b.release({ ok: true });
    expect(changes.length).toBeGreaterThanOrEqual(4);
    off();
    const n = changes.length;
    await service.submit(req('c', 'other'));
    expect(changes.length).toBe(n);
    expect(service.snapshot().servers[0]!.inFlight[0]).not.toHaveProperty('alias', expect.anything());
    service.close();
  });
});
