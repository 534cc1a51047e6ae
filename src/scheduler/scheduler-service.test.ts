import { describe, expect, it } from 'vitest';
import { FleetSchema, type FleetInput } from '../config/schema.ts';
import { AppError } from '../core/errors/index.ts';
import type { Timings } from '../core/chat.ts';
import { ManualClock, settle } from '../lib/clock.ts';
import type { Lease, ModelServerControl } from './scheduler-port.ts';
import { SchedulerService, syncResidency } from './scheduler-service.ts';

const fleetInput: FleetInput = {
  servers: [{ name: 'mini', url: 'http://127.0.0.1:11434', profile: 'm4-32', memoryGiB: 21.3 }],
  models: [
    { name: 'big', paramsB: 32, memoryGiB: 18.5, contextTokens: 4096, servers: ['mini'], loadSeconds: 40 },
    { name: 'other', paramsB: 32, memoryGiB: 18.5, contextTokens: 4096, servers: ['mini'], loadSeconds: 40 },
    { name: 'small', paramsB: 1.5, memoryGiB: 1, contextTokens: 4096, servers: ['mini'], loadSeconds: 2 },
    { name: 'huge', paramsB: 70, memoryGiB: 40, servers: ['mini'] },
  ],
};

function fakeControl(clock: ManualClock, options: { failLoads?: boolean | AppError } = {}) {
  const stats = { loads: [] as string[], unloads: [] as string[], active: 0, maxActive: 0 };
  const loaded = new Set<string>(['big']);
  const busy = async (ms: number): Promise<void> => {
    stats.active++;
    stats.maxActive = Math.max(stats.maxActive, stats.active);
    try {
      await clock.sleep(ms);
    } finally {
      stats.active--;
    }
  };
  const control: ModelServerControl = {
    async load(_server, model) {
      stats.loads.push(model);
      await busy(model === 'small' ? 2000 : 40_000);
      if (options.failLoads instanceof AppError) throw options.failLoads;
      if (options.failLoads) throw new Error('runner crashed');
      loaded.add(model);
      return { loadMs: model === 'small' ? 2000 : 30_000 };
    },
    async unload(_server, model) {
      stats.unloads.push(model);
      await busy(0);
      loaded.delete(model);
    },
    loaded: () => Promise.resolve([...loaded]),
  };
  return { control, stats };
}

async function setup(options: { failLoads?: boolean | AppError; policy?: string } = {}) {
  const clock = new ManualClock(1_000_000);
  const fleet = FleetSchema.parse(fleetInput);
  const { control, stats } = fakeControl(clock, options);
  const resident = await syncResidency(fleet, control);
  const service = new SchedulerService({ fleet, control, clock, resident, policy: options.policy });
  return { clock, service, stats };
}

const req = (id: string, model: string, extra: Partial<Parameters<SchedulerService['submit']>[0]> = {}) => ({
  requestId: id,
  model,
  agentId: `agent-${id}`,
  promptTokens: 500,
  maxOutputTokens: 100,
  ...extra,
});

describe('SchedulerService', () => {
  it('grants a lease at once on a resident model and ends it exactly once', async () => {
    const { service } = await setup();
    const lease = await service.submit(req('a', 'big'));
    expect(lease).toMatchObject({ server: 'mini', model: 'big', queuedMs: 0, loadMs: 0 });
    expect(service.snapshot().servers[0]!.inFlight).toHaveLength(1);
    lease.release({ ok: true });
    lease.release({ ok: true });
    expect(service.snapshot().servers[0]!.inFlight).toHaveLength(0);
  });

  it('loads a missing model through the control and reports the load time on the lease', async () => {
    const { service, clock, stats } = await setup();
    const first = await service.submit(req('a', 'big'));
    let lease: Lease | undefined;
    void service.submit(req('b', 'other')).then((l) => (lease = l));
    first.release({ ok: true });
    await clock.runAll();
    expect(stats.unloads).toEqual(['big']);
    expect(stats.loads).toEqual(['other']);
    expect(lease).toMatchObject({ model: 'other', loadMs: 40_000 });
    expect(stats.maxActive).toBe(1);
  });

  it('carries one load on one lease, though every request that waited for it reports its wait', async () => {
    const { service, clock } = await setup();
    const first = await service.submit(req('a', 'big'));
    const leases: Lease[] = [];
    for (const id of ['b', 'c', 'd'])
      void service.submit(req(id, 'other')).then((l) => {
        leases.push(l);
        l.release({ ok: true });
      });
    first.release({ ok: true });
    await clock.runAll();
    expect(leases).toHaveLength(3);
    expect(leases.every((l) => l.loadMs > 0)).toBe(true);
    expect(leases.filter((l) => l.modelLoad !== undefined).map((l) => l.modelLoad)).toEqual([{ ms: 40_000 }]);
  });

  it('keeps a model for an agent between its turns, but not for a call without agent or session', async () => {
    const queuedAfter = async (agentId: string | undefined): Promise<number> => {
      const { service, clock } = await setup();
      const { agentId: _, ...anonymous } = req('a', 'big');
      const first = await service.submit(agentId === undefined ? anonymous : { ...anonymous, agentId });
      first.release({ ok: true });
      let queuedMs = -1;
      void service.submit(req('b', 'other')).then((l) => {
        queuedMs = l.queuedMs;
        l.release({ ok: true });
      });
      await clock.runAll();
      return queuedMs;
    };
    // the named agent's next turn is awaited before the swap; the anonymous call leaves nothing
    expect(await queuedAfter(undefined)).toBe(40_000);
    expect(await queuedAfter('agent-a')).toBeGreaterThan(40_000);
  });

  it('gives up on a load that never answers, fails the waiting request and frees the server', async () => {
    const clock = new ManualClock(1_000_000);
    const fleet = FleetSchema.parse(fleetInput);
    const signals: AbortSignal[] = [];
    const control: ModelServerControl = {
      load: (_server, _model, signal) =>
        new Promise((_, reject) => {
          signals.push(signal!);
          signal!.addEventListener('abort', () => reject(signal!.reason as Error));
        }),
      unload: () => Promise.resolve(),
      loaded: () => Promise.resolve([]),
    };
    const service = new SchedulerService({ fleet, control, clock });
    let error: unknown;
    service.submit(req('a', 'big')).catch((e: unknown) => (error = e));
    await clock.advance(40_000 + 599_000);
    expect(error).toBeUndefined();
    await clock.advance(2_000);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    expect(error).toBeInstanceOf(AppError);
    expect(service.snapshot().servers[0]!.loading).toBeUndefined();
  });

  it('learns the load time from the control and the speeds from lease timings', async () => {
    const { service, clock } = await setup();
    const first = await service.submit(req('a', 'big'));
    void service.submit(req('b', 'other')).then((l) =>
      l.release({
        ok: true,
        usage: { inputTokens: 500, outputTokens: 400 },
        timings: { totalMs: 0, loadMs: 0, prefillMs: 5000, decodeMs: 40_000 },
      }),
    );
    first.release({ ok: true });
    await clock.runAll();
    const other = service.learned.get('mini', 'other')!;
    expect(other.loadSeconds).toBeLessThan(40);
    expect(other.loadSeconds).toBeGreaterThan(30);
    expect(other.decodeTokensPerSecond).toBeGreaterThan(
      service.learned.get('mini', 'big')!.decodeTokensPerSecond,
    );
  });

  it('learns the prefill rate from the tokens prefilled, not the whole prompt the cache held', async () => {
    const rateAfter = async (timings: Timings): Promise<number> => {
      const { service, clock } = await setup();
      const lease = await service.submit(req('a', 'big'));
      lease.release({ ok: true, usage: { inputTokens: 6000, outputTokens: 10 }, timings });
      await clock.runAll();
      return service.learned.get('mini', 'big')!.prefillTokensPerSecond;
    };
    const t = { totalMs: 0, loadMs: 0, prefillMs: 1000, decodeMs: 1000 };
    // 100 tokens prefilled in 1 s of a 6000-token prompt mostly read from the cache: a slow prefill
    const cached = await rateAfter({ ...t, prefillTokens: 100 });
    const whole = await rateAfter(t);
    expect(cached).toBeLessThan(whole);
  });

  it('prices only the new tail of a repeated prompt, so cached agents are not refused', async () => {
    const { service } = await setup();
    const long = (id: string, agent: string, tokens: number) =>
      req(id, 'big', { agentId: agent, promptTokens: tokens });
    for (const agent of ['a0', 'a1', 'a2', 'a3'])
      (await service.submit(long(`${agent}-1`, agent, 50_000))).release({ ok: true });
    const holding = await service.submit(long('a0-2', 'a0', 50_500));
    const queued = ['a1', 'a2', 'a3'].map((agent) => service.submit(long(`${agent}-2`, agent, 50_500)));
    expect(service.snapshot().servers[0]!.queued).toHaveLength(3);
    // fresh agents must prefill 50k tokens each (about 18 min on this Mac): the third is refused
    const fresh = ['f1', 'f2', 'f3'].map((agent) =>
      service.submit(long(`${agent}-1`, agent, 50_000)).catch((e: unknown) => e),
    );
    expect(await fresh[2]).toMatchObject({ code: 'rate_limited', retryAfterSeconds: expect.any(Number) });
    holding.release({ ok: true });
    for (const q of queued) (await q).release({ ok: true });
  });

  it('tells a queued caller its position, and again when its model starts loading', async () => {
    const { service, clock } = await setup();
    const first = await service.submit(req('a', 'big'));
    const infos: Array<{ position: number; loading: boolean; etaMs: number }> = [];
    const second = service.submit(req('b', 'big'));
    const third = service.submit(req('c', 'other', { onQueued: (i) => infos.push(i) }));
    expect(infos).toEqual([{ position: 1, loading: false, etaMs: expect.any(Number) }]);
    expect(infos[0]!.etaMs).toBeGreaterThan(40_000);
    first.release({ ok: true });
    (await second).release({ ok: true });
    // GXA keeps big for its agents' next turns (30 s without hints), then swaps
    await clock.advance(31_000);
    expect(infos.at(-1)).toMatchObject({ position: 1, loading: true });
    await clock.runAll();
    (await third).release({ ok: true });
  });

  it('removes a request aborted while queued and never grants it', async () => {
    const { service, clock } = await setup();
    const first = await service.submit(req('a', 'big'));
    const ac = new AbortController();
    const queued = service.submit(req('b', 'big', { signal: ac.signal }));
    expect(service.snapshot().servers[0]!.queued.map((q) => q.requestId)).toEqual(['b']);
    ac.abort();
    await expect(queued).rejects.toMatchObject({ code: 'cancelled' });
    expect(service.snapshot().servers[0]!.queued).toEqual([]);
    first.release({ ok: true });
    await clock.runAll();
    expect(service.snapshot().servers[0]!.inFlight).toEqual([]);
  });

  it('keeps one load or unload outstanding per server', async () => {
    const { service, clock, stats } = await setup();
    const leases: Lease[] = [];
    for (const [i, m] of ['other', 'small', 'big', 'other'].entries())
      void service.submit(req(`r${i}`, m)).then((l) => {
        leases.push(l);
        l.release({ ok: true });
      });
    await clock.runAll();
    await settle();
    expect(leases).toHaveLength(4);
    expect(stats.maxActive).toBe(1);
  });

  it('names the model and the servers when a model can never be scheduled', async () => {
    const { service } = await setup();
    const e1 = await service.submit(req('a', 'nope')).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(AppError);
    expect(e1).toMatchObject({ code: 'unschedulable', message: expect.stringMatching(/unknown model nope/) });
    const e2 = await service.submit(req('b', 'huge')).catch((e: unknown) => e);
    expect(e2).toMatchObject({
      code: 'unschedulable',
      message: expect.stringMatching(/huge fits no server: mini has 21.3 GiB/),
    });
  });

  it.each([
    ['load_failed', true, 'runner crashed'],
    [
      'upstream_unavailable',
      new AppError('upstream_unavailable', 'connect ECONNREFUSED 127.0.0.1:11434'),
      'connect ECONNREFUSED 127.0.0.1:11434',
    ],
  ] as const)(
    'rejects the queued requests with %s and the reason when a load fails',
    async (code, failLoads, why) => {
      const { service, clock } = await setup({ failLoads });
      const first = await service.submit(req('a', 'big'));
      const queued = service.submit(req('b', 'small'));
      first.release({ ok: true });
      const settled = queued.catch((e: unknown) => e);
      await clock.runAll();
      expect(await settled).toMatchObject({ code, message: `loading small on mini failed: ${why}` });
    },
  );

  it('rejects a duplicate request id and requests after close', async () => {
    const { service } = await setup();
    await service.submit(req('a', 'big'));
    await expect(service.submit(req('a', 'big'))).rejects.toMatchObject({ code: 'bad_request' });
    const queued = service.submit(req('b', 'big'));
    service.close();
    await expect(queued).rejects.toMatchObject({ code: 'upstream_unavailable' });
    await expect(service.submit(req('c', 'big'))).rejects.toMatchObject({ code: 'upstream_unavailable' });
  });

  it('works with every policy', async () => {
    for (const policy of ['gxa', 'ollama', 'always-swap', 'llama-swap-fifo', 'exhaustive']) {
      const { service, clock } = await setup({ policy });
      const done: string[] = [];
      for (const [i, m] of ['big', 'other', 'small', 'big'].entries())
        void service.submit(req(`r${i}`, m)).then((l) => {
          done.push(l.requestId);
          void clock.sleep(5000).then(() => l.release({ ok: true }));
        });
      await clock.runAll();
      await settle();
      expect(done.sort(), policy).toEqual(['r0', 'r1', 'r2', 'r3']);
    }
  });
});
