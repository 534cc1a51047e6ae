import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFleetFile, parseFleetObject, type FleetConfig } from '../config/index.ts';
import { isAppError } from '../core/errors/index.ts';
import type { CoreEvent, CoreRequest } from './core-types.ts';
import { OllamaCore, QUEUE_FULL_MESSAGE } from './ollama-core.ts';

const S = 1000;
const MAC = loadFleetFile(resolve(import.meta.dirname, '../../examples/mac-mini.yaml'));
const CODER = 'qwen2.5-coder:32b-instruct';
const QUALITY = 'qwen-quality-128k';

function coreOf(fleet: FleetConfig, serverName = fleet.servers[0]!.name): OllamaCore {
  const server = fleet.servers.find((s) => s.name === serverName)!;
  return new OllamaCore({
    server,
    models: fleet.models.filter((m) => m.servers.includes(serverName)),
    start: 0,
  });
}

/** a 24 GiB test server with two big models and a small one; fixed speeds so times are simple */
function testFleet(
  server: Record<string, unknown> = {},
  extraModels: Record<string, unknown>[] = [],
): FleetConfig {
  const model = (name: string, memoryGiB: number) => ({
    name,
    memoryGiB,
    kvBytesPerToken: 1024,
    contextTokens: 1024,
    loadSeconds: 10,
    prefillTokensPerSecond: 100,
    decodeTokensPerSecond: 10,
    servers: ['box'],
  });
  return parseFleetObject(
    {
      servers: [{ name: 'box', url: 'http://127.0.0.1:1', memoryGiB: 24, ...server }],
      models: [model('big-a', 14), model('big-b', 14), model('small', 2), ...extraModels],
    },
    'test.yaml',
  );
}

let seq = 0;
function req(model: string, extra: Partial<CoreRequest> = {}): CoreRequest {
  return { id: `r${++seq}`, model, promptTokens: 100, outputTokens: 10, ...extra };
}

/** a driver that records every event and can run the core to a time or to quiescence */
function drive(core: OllamaCore) {
  const events: CoreEvent[] = [];
  const record = (e: CoreEvent[]): CoreEvent[] => (events.push(...e), e);
  return {
    events,
    submit: (r: CoreRequest, at: number) => record(core.submit(r, at)),
    cancel: (id: string, at: number) => record(core.cancel(id, at)),
    to: (at: number) => record(core.advance(at)),
    startOf: (id: string) => events.find((e) => e.type === 'started' && e.id === id)?.at,
    endOf: (id: string) => events.find((e) => 'id' in e && e.id === id && e.type !== 'started'),
    loads: (model: string) =>
      events.filter((e) => e.type === 'load_started' && e.model === model).map((e) => e.at),
    resident: () => core.snapshot().runners.map((r) => r.name),
  };
}

describe('OllamaCore timing', () => {
  it('loads a 32B on the m4-32 profile in t0 + W/R and reports prefill and decode from the cost model', () => {
    const d = drive(coreOf(MAC));
    const r = req(CODER, { promptTokens: 450, outputTokens: 46 });
    d.submit(r, 0);
    d.to(1000 * S);
    const done = d.endOf(r.id);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    // 18.5 GiB = 19.86 GB at 0.8 GB/s + 1.5 s
    expect(done.timings.loadMs / S).toBeCloseTo(1.5 + 19.864 / 0.8, 1);
    expect(done.timings.prefillMs / S).toBeCloseTo(450 / 45, 1); // 45 tok/s on a 32B
    expect(46 / (done.timings.decodeMs / S)).toBeCloseTo((0.76 * 120) / 19.864, 1); // ~4.6 tok/s
    expect(done.timings.totalMs).toBeCloseTo(
      done.timings.loadMs + done.timings.prefillMs + done.timings.decodeMs,
      6,
    );
  });

  it('counts a wait for a slot in total_duration, not in load_duration (like Ollama)', () => {
    const d = drive(coreOf(testFleet()));
    const a = req('small', { outputTokens: 100 }); // ready at 10 s, busy until 21 s
    const b = req('small', { outputTokens: 10 });
    d.submit(a, 0);
    d.submit(b, 12 * S); // fast path; waits for the only slot
    d.to(100 * S);
    const db = d.endOf(b.id);
    if (db?.type !== 'done') throw new Error('not done');
    expect(db.timings.loadMs).toBe(0);
    expect(db.timings.totalMs).toBe(9 * S + 1 * S + 1 * S); // slot wait, prefill, decode
  });

  it('shares decode among parallel streams with the batching gain g(b), re-rated as streams come and go', () => {
    const core = coreOf(testFleet({ parallel: 2 }));
    const d = drive(core);
    const a = req('small', { promptTokens: 0, outputTokens: 100 });
    const b = req('small', { promptTokens: 0, outputTokens: 100 });
    d.submit(a, 0); // loads 10 s, then decodes alone at 10 tok/s
    d.to(15 * S);
    expect(core.tokenTime(a.id, 49)).toBe(15 * S);
    d.submit(b, 15 * S); // from now on both get 10 * 1.22 / 2 = 6.1 tok/s
    expect(core.tokenTime(a.id, 99)! / S).toBeCloseTo(15 + 50 / 6.1, 6);
    d.to(10_000 * S);
    const da = d.endOf(a.id);
    const db = d.endOf(b.id);
    if (da?.type !== 'done' || db?.type !== 'done') throw new Error('not done');
    expect(da.at / S).toBeCloseTo(15 + 50 / 6.1, 6);
    // b decoded 50 tokens alongside a, then its last 50 alone at 10 tok/s again
    expect(db.at / S).toBeCloseTo(15 + 50 / 6.1 + 5, 6);
    expect(db.timings.decodeMs / S).toBeCloseTo(50 / 6.1 + 5, 6);
  });
});

describe('OllamaCore behaves like Ollama', () => {
  it('starves a second 32B while overlapping traffic keeps the resident 32B busy', () => {
    const core = coreOf(MAC);
    const d = drive(core);
    const first = req(CODER, { outputTokens: 46 }); // about 10 s of decode
    d.submit(first, 0);
    d.to(30 * S);
    expect(d.resident()).toEqual([CODER]); // qwen-fast was evicted: 20.5 GiB leave no room
    const quality = req(QUALITY);
    d.submit(quality, 30 * S);
    // A new coder request every 5 s overlaps the previous one: refCount never reaches 0.
    for (let t = 35; t <= 600; t += 5) {
      d.submit(req(CODER, { outputTokens: 46 }), t * S);
      d.to(t * S);
    }
    expect(d.startOf(quality.id)).toBeUndefined();
    expect(d.loads(QUALITY)).toEqual([]);
    expect(core.snapshot().blocked).toBe(true);
    // Traffic stops; the victim drains its backlog, then unloads, then the other 32B loads.
    d.to(100_000 * S);
    const lastCoderEnd = Math.max(
      ...d.events.filter((e) => e.type === 'done' && e.id !== quality.id).map((e) => e.at),
    );
    expect(d.loads(QUALITY)).toEqual([lastCoderEnd]);
    expect(d.endOf(quality.id)?.type).toBe('done');
  });

  it('blocks the head of the queue: a small model that would fit waits behind a big one', () => {
    const d = drive(coreOf(testFleet()));
    const a = req('big-a', { outputTokens: 100 }); // loads 10 s, runs 1 + 10 s
    d.submit(a, 0);
    d.to(1 * S);
    const b = req('big-b');
    const small = req('small');
    d.submit(b, 1 * S); // needs big-a evicted: waits for it to drain
    d.submit(small, 2 * S); // 2 GiB would fit beside big-a, but b is at the head
    d.to(15 * S);
    expect(d.startOf(small.id)).toBeUndefined();
    d.to(1000 * S);
    expect(d.endOf(a.id)?.at).toBe(21 * S);
    expect(d.loads('big-b')).toEqual([21 * S]);
    expect(d.loads('small')).toEqual([21 * S]); // then fits in 80% of the 10 GiB left
    expect(d.startOf(small.id)).toBe(31 * S);
  });

  it('answers 503 "server busy" beyond the queue max while the fast path still admits', () => {
    const d = drive(coreOf(testFleet({ queueMax: 2 })));
    d.submit(req('big-a', { outputTokens: 1000 }), 0);
    d.to(20 * S);
    d.submit(req('big-b'), 20 * S);
    d.submit(req('small'), 20 * S);
    let error: unknown;
    try {
      d.submit(req('small'), 20 * S);
    } catch (e) {
      error = e;
    }
    expect(isAppError(error) && error.code === 'overloaded' && error.status === 503).toBe(true);
    expect((error as Error).message).toBe(QUEUE_FULL_MESSAGE);
    expect(() => d.submit(req('big-a'), 20 * S)).not.toThrow(); // resident: fast path
  });

  it('loads alongside only within 80% of the remaining free memory', () => {
    const extra = (name: string, memoryGiB: number) => ({
      name,
      memoryGiB,
      kvBytesPerToken: 1024,
      contextTokens: 1024,
      loadSeconds: 10,
      servers: ['box'],
    });
    // big-a leaves 10 GiB free (plus 1 MiB of KV): 7.9 GiB fits in 80% of it, 8.1 GiB does not.
    const core = coreOf(testFleet({}, [extra('fits', 7.9), extra('too-big', 8.1)]));
    const d = drive(core);
    d.submit(req('big-a', { keepAliveMs: Infinity }), 0);
    d.to(60 * S);
    d.submit(req('fits', { keepAliveMs: 0 }), 60 * S);
    d.to(61 * S);
    expect(d.resident()).toEqual(['big-a', 'fits']);
    d.to(200 * S); // 'fits' unloads when idle (keep_alive 0)
    expect(d.resident()).toEqual(['big-a']);
    d.submit(req('too-big'), 200 * S);
    d.to(201 * S);
    expect(d.resident()).toEqual(['too-big']); // big-a was idle: evicted first
  });

  it('evicts at the max of loaded models by choose(): shortest keep-alive first, idle before busy', () => {
    const tiny = (name: string) => ({
      name,
      memoryGiB: 1,
      contextTokens: 1024,
      loadSeconds: 1,
      servers: ['box'],
    });
    const core = coreOf(testFleet({ maxLoadedModels: 3 }, [tiny('t1'), tiny('t2'), tiny('t3'), tiny('t4')]));
    const d = drive(core);
    d.submit(req('t1', { keepAliveMs: 600 * S, outputTokens: 0 }), 0);
    d.submit(req('t2', { keepAliveMs: 60 * S, outputTokens: 0 }), 0);
    d.submit(req('t3', { keepAliveMs: Infinity, outputTokens: 10_000 }), 0); // busy for 1000 s
    d.to(10 * S);
    expect(d.resident().sort()).toEqual(['t1', 't2', 't3']);
    d.submit(req('t4', { outputTokens: 0 }), 10 * S); // memory is free, the count is not
    d.to(12 * S);
    expect(d.resident().sort()).toEqual(['t1', 't3', 't4']); // t2 had the shortest keep-alive
    d.submit(req('t2', { keepAliveMs: 0, outputTokens: 0 }), 20 * S);
    d.to(25 * S);
    // keep-alives now: t4 5 min (default), t1 10 min, t3 forever (busy): t4 goes
    expect(d.resident().sort()).toEqual(['t1', 't3']); // t2 ran, then unloaded (keep_alive 0)
    expect(d.events.filter((e) => e.type === 'unloaded').map((e) => 'model' in e && e.model)).toEqual([
      't2',
      't4',
      't2',
    ]);
    // with t3 (busy) as the only choice left besides idle ones, an idle runner is always taken first
    d.submit(req('t2', { outputTokens: 0 }), 30 * S);
    d.submit(req('t4', { outputTokens: 0 }), 30 * S);
    d.to(40 * S);
    expect(d.resident().sort()).toEqual(['t2', 't3', 't4']); // t1 (idle) went, not t3 (busy)
  });

  it('reloads the same weights asked with another num_ctx', () => {
    const fleet = testFleet({}, [
      {
        name: 'small-long',
        weights: 'small',
        memoryGiB: 2,
        kvBytesPerToken: 1024,
        contextTokens: 8192,
        loadSeconds: 10,
        servers: ['box'],
      },
    ]);
    const core = coreOf(fleet);
    const d = drive(core);
    d.submit(req('small'), 0);
    d.to(30 * S);
    d.submit(req('small-long'), 30 * S); // one weights file, other options
    d.to(30 * S);
    expect(d.loads('small-long')).toEqual([30 * S]);
    expect(core.snapshot().runners.map((r) => [r.name, r.contextLength])).toEqual([['small-long', 8192]]);
    d.submit(req('small', { numCtx: 2048 }), 60 * S);
    d.to(60 * S);
    expect(core.snapshot().runners.map((r) => r.contextLength)).toEqual([2048]);
  });

  it('unloads an idle model when its keep-alive expires (5 min by default, or the request’s)', () => {
    const core = coreOf(testFleet());
    const d = drive(core);
    const a = req('small', { promptTokens: 0, outputTokens: 0 });
    d.submit(a, 0);
    d.to(10 * S);
    expect(core.snapshot().runners[0]?.expiresAt).toBe(10 * S + 300 * S);
    d.to(309 * S);
    expect(d.resident()).toEqual(['small']);
    d.to(310 * S);
    expect(d.resident()).toEqual([]);
    d.submit(req('small', { keepAliveMs: 60 * S, promptTokens: 0, outputTokens: 0 }), 400 * S);
    d.to(470 * S);
    expect(d.resident()).toEqual([]);
    expect(d.events.filter((e) => e.type === 'unloaded').map((e) => e.at)).toEqual([310 * S, 470 * S]);
  });

  it('drains the victim, including requests admitted by the fast path, before unloading it', () => {
    const d = drive(coreOf(testFleet()));
    const a1 = req('big-a', { outputTokens: 100 });
    const a2 = req('big-a', { outputTokens: 100 });
    d.submit(a1, 0);
    d.submit(a2, 0);
    d.to(12 * S);
    const b = req('big-b');
    d.submit(b, 12 * S); // big-a becomes the victim
    const a3 = req('big-a', { outputTokens: 100 });
    d.submit(a3, 15 * S); // fast path onto the victim
    d.to(1000 * S);
    expect(d.endOf(a3.id)?.type).toBe('done');
    const drained = d.endOf(a3.id)!.at;
    expect(d.events.find((e) => e.type === 'unload_started' && e.model === 'big-a')?.at).toBe(drained);
    expect(d.loads('big-b')).toEqual([drained]);
  });

  it('lets a fast-path request give the victim its keep-alive back: the waiting model waits it out', () => {
    const core = coreOf(testFleet());
    const d = drive(core);
    d.submit(req('big-a', { outputTokens: 100 }), 0); // ready at 10 s, done at 21 s
    d.to(12 * S);
    const b = req('big-b');
    d.submit(b, 12 * S); // big-a becomes the victim (keep-alive 0)
    expect(core.snapshot().runners[0]?.keepAliveMs).toBe(0);
    d.submit(req('big-a', { outputTokens: 10, keepAliveMs: 300 * S }), 15 * S); // adopts 5 min
    d.to(1000 * S);
    // big-a drains at 23 s, then idles its new 5 minutes before big-b may load.
    expect(d.loads('big-b')).toEqual([323 * S]);
    expect(d.startOf(b.id)).toBe(333 * S);
  });

  it('waits for an unload to finish before loading into the freed memory (2 s on the rtx4090 profile)', () => {
    const core = coreOf(testFleet({ profile: 'rtx4090-24', memoryGiB: 24 }));
    const d = drive(core);
    d.submit(req('big-a', { outputTokens: 0 }), 0);
    d.to(60 * S);
    d.submit(req('big-b', { outputTokens: 0 }), 60 * S);
    d.to(61 * S);
    expect(core.snapshot().runners.map((r) => [r.name, r.state])).toEqual([['big-a', 'unloading']]);
    expect(core.snapshot().usedGiB).toBeGreaterThan(14); // not free until the unload is done
    d.to(100 * S);
    expect(d.events.find((e) => e.type === 'unloaded')?.at).toBe(62 * S);
    expect(d.loads('big-b')).toEqual([62 * S]);
  });

  it('never loses the events it processed before refusing a request', () => {
    const core = coreOf(testFleet({ queueMax: 1 }));
    const a = req('small', { outputTokens: 10 });
    core.submit(a, 0); // done at 10 + 1 + 1 = 12 s
    core.submit(req('big-a', { outputTokens: 10_000 }), 0);
    // at 100 s nobody has advanced the core: a refusal must keep a's end for the next call
    expect(() => core.submit(req('nope'), 100 * S)).toThrow(/not found/);
    expect(core.nextEventAt()).toBe(100 * S);
    expect(
      core
        .advance(100 * S)
        .filter((e) => 'id' in e && e.id === a.id)
        .map((e) => e.type),
    ).toEqual(['started', 'done']);
  });

  it('fails a model larger than the server with 500 and drops cancelled requests exactly once', () => {
    const d = drive(coreOf(testFleet()));
    const h = req('small', { numCtx: 30_000_000 }); // 2 GiB + 28.6 GiB of KV > 24 GiB
    d.submit(h, 0);
    expect(d.endOf(h.id)).toMatchObject({ type: 'failed', status: 500 });
    const a = req('big-a');
    d.submit(a, 0);
    d.cancel(a.id, 5 * S);
    d.cancel(a.id, 6 * S);
    d.to(1000 * S);
    expect(d.events.filter((e) => 'id' in e && e.id === a.id).map((e) => e.type)).toEqual(['cancelled']);
  });
});
