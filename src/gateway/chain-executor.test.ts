import { describe, expect, it } from 'vitest';
import type { ChatEvent, ChatRequest } from '../core/chat.ts';
import { AppError } from '../core/errors/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { resolveChain } from './alias-chain.ts';
import { ChainExecutor } from './chain-executor.ts';
import { Cooldowns } from './cooldowns.ts';
import { newSummary } from './execution-summary.ts';
import { createGatewayMetrics } from './gateway-metrics.ts';
import { fakeScheduler, scriptedBackends, testFleet, textReply, type ScriptStep } from './testing/fakes.ts';

function request(text = 'hi', maxTokens?: number): ChatRequest {
  return {
    model: 'coder',
    messages: [{ role: 'user', content: [{ type: 'text', text }] }],
    maxTokens,
    stream: true,
    meta: { requestId: 'r1', alias: 'coder', agentId: 'a1' },
  };
}

function setup(
  script: (model: string) => ScriptStep[],
  opts: { disabled?: string[]; fleet?: ReturnType<typeof testFleet> } = {},
) {
  const clock = new ManualClock(1_000_000);
  const fleet = opts.fleet ?? testFleet();
  const scheduler = fakeScheduler(clock, fleet);
  const backends = scriptedBackends(clock, (m) => script(m.name), new Set(opts.disabled ?? []));
  const metrics = createGatewayMetrics();
  const cooldowns = new Cooldowns(fleet.gateway.cooldown, clock);
  const exec = new ChainExecutor({
    fleet,
    clock,
    scheduler,
    backends,
    metrics,
    cooldowns,
    estimateTokens: (r) => Math.ceil(JSON.stringify(r.messages).length / 4),
  });
  const run = async (req = request(), controller = new AbortController(), wholeAnswer = false) => {
    const summary = newSummary();
    const events: ChatEvent[] = [];
    const p = (async () => {
      const stream = await exec.execute(req, resolveChain(fleet, 'coder'), {
        signal: controller.signal,
        summary,
        arrivedAt: clock.now(),
        wholeAnswer,
      });
      for await (const e of stream) events.push(e);
    })();
    const settled = p.then(
      () => undefined,
      (e: unknown) => e as AppError,
    );
    await clock.runAll(3_600_000);
    return { error: await settled, events, summary };
  };
  return { clock, fleet, scheduler, backends, metrics, cooldowns, exec, run };
}

describe('chain executor', () => {
  it('streams the primary model and releases its lease once with usage', async () => {
    const t = setup((m) => textReply('hello', m));
    const { error, events, summary } = await t.run();
    expect(error).toBeUndefined();
    expect(events.map((e) => e.type)).toEqual(['start', 'text', 'done']);
    expect(summary).toMatchObject({
      model: 'big',
      server: 'local',
      local: true,
      fallbackUsed: false,
      attempts: 1,
    });
    expect(t.scheduler.releases).toEqual([
      {
        requestId: 'r1',
        model: 'big',
        outcome: expect.objectContaining({ ok: true, usage: { inputTokens: 5, outputTokens: 2 } }),
      },
    ]);
    expect(t.scheduler.submitted[0]).toMatchObject({ model: 'big', agentId: 'a1' });
  });

  it('falls back on a load failure and records it', async () => {
    const t = setup((m) => textReply('ok', m));
    t.scheduler.failWith.set('big', new AppError('load_failed', 'out of memory'));
    const { error, summary } = await t.run();
    expect(error).toBeUndefined();
    expect(summary).toMatchObject({ model: 'small', fallbackUsed: true });
    expect(summary.trail.map((a) => [a.model, a.outcome, a.code])).toEqual([
      ['big', 'failed', 'load_failed'],
      ['small', 'ok', undefined],
    ]);
    expect(t.metrics.fallbacks.get({ alias: 'coder', to: 'small', reason: 'load_failed' })).toBe(1);
  });

  it('falls back when the first token is too slow, aborting the slow call and freeing its slot', async () => {
    const t = setup((m) =>
      m === 'big'
        ? [{ event: { type: 'start', model: m } }, { after: 60_000, event: { type: 'text', delta: 'late' } }]
        : textReply('fast', m),
    );
    const { error, events, summary } = await t.run();
    expect(error?.message).toBeUndefined();
    expect(events.find((e) => e.type === 'text')).toEqual({ type: 'text', delta: 'fast' });
    expect(summary.trail[0]).toMatchObject({ model: 'big', code: 'upstream_timeout' });
    expect(t.backends.calls[0]!.signal.aborted).toBe(true);
    expect(t.scheduler.releases.map((r) => [r.model, r.outcome.ok])).toEqual([
      ['big', false],
      ['small', true],
    ]);
  });

  it('skips models whose context is too small, and says so when none fits', async () => {
    const t = setup((m) => textReply('ok', m));
    const { summary } = await t.run(request('x'.repeat(4400)));
    expect(summary.trail[0]).toMatchObject({ model: 'big', outcome: 'skipped', code: 'context_too_long' });
    expect(summary.model).toBe('small');
    expect(summary.fallbackUsed).toBe(true);
    const t2 = setup((m) => textReply('ok', m), { disabled: ['cloud'] });
    const r2 = await t2.run(request('x'.repeat(40_000)));
    expect(r2.error).toMatchObject({ code: 'context_too_long' });
    expect(t2.scheduler.submitted).toHaveLength(0);
  });

  it('clamps max tokens to the context left instead of skipping the model', async () => {
    let seen: number | undefined;
    const clock = new ManualClock(0);
    const fleet = testFleet();
    const scheduler = fakeScheduler(clock, fleet);
    const backends = scriptedBackends(clock, (m, _s, req) => {
      seen = req.maxTokens;
      return textReply('ok', m.name);
    });
    const exec = new ChainExecutor({
      fleet,
      clock,
      scheduler,
      backends,
      metrics: createGatewayMetrics(),
      cooldowns: new Cooldowns(fleet.gateway.cooldown, clock),
      estimateTokens: () => 100,
    });
    const summary = newSummary();
    const done = (async () => {
      const stream = await exec.execute(request('hi', 32_000), resolveChain(fleet, 'coder'), {
        signal: new AbortController().signal,
        summary,
        arrivedAt: 0,
      });
      for await (const _ of stream);
    })();
    await clock.runAll();
    await done;
    expect(summary.model).toBe('big');
    expect(seen).toBe(900);
  });

  it('gives a cloud model connectSeconds to answer at all', async () => {
    const t = setup((m) =>
      m === 'claude'
        ? [{ after: 6_000, event: { type: 'start', model: m } }, ...textReply('late', m)]
        : textReply('x', m),
    );
    t.scheduler.failWith.set('big', new AppError('load_failed', 'oom'));
    t.scheduler.failWith.set('small', new AppError('load_failed', 'oom'));
    const { error, summary } = await t.run();
    expect(error).toMatchObject({
      code: 'upstream_timeout',
      message: expect.stringContaining('connectSeconds'),
    });
    expect(summary.trail.at(-1)).toMatchObject({ model: 'claude', code: 'upstream_timeout' });
  });

  it('skips a cloud model whose provider is disabled', async () => {
    const t = setup(() => [{ error: new AppError('upstream_unavailable', 'down') }], { disabled: ['cloud'] });
    const { error, summary } = await t.run();
    expect(error).toMatchObject({ code: 'upstream_unavailable' });
    // big could not reach its server, which small shares: small is skipped while it is down
    expect(summary.trail.map((a) => a.outcome)).toEqual(['failed', 'skipped', 'skipped']);
    expect(error!.message).toMatch(/^big: down; small: local down since .*; claude: cloud is disabled/);
  });

  it('never falls back after content reached the client; the error ends the stream', async () => {
    const t = setup((m) => [
      { event: { type: 'text', delta: 'par' } },
      { after: 5, error: new AppError('upstream_error', `${m} broke`) },
    ]);
    const { error, events, summary } = await t.run();
    expect(error).toMatchObject({ code: 'upstream_error' });
    expect(events).toEqual([{ type: 'text', delta: 'par' }]);
    expect(summary).toMatchObject({ model: 'big', fallbackUsed: false, errorCode: 'upstream_error' });
    expect(t.scheduler.releases).toEqual([
      { requestId: 'r1', model: 'big', outcome: { ok: false, cancelled: false } },
    ]);
  });

  it('falls back after content when the client gets only the whole answer (not streamed)', async () => {
    const t = setup((m) =>
      m === 'big'
        ? [
            { event: { type: 'text', delta: 'par' } },
            { after: 5, error: new AppError('upstream_error', 'broke') },
          ]
        : textReply('whole', m),
    );
    const { error, events, summary } = await t.run(request(), new AbortController(), true);
    expect(error).toBeUndefined();
    expect(events.filter((e) => e.type === 'text')).toEqual([{ type: 'text', delta: 'whole' }]);
    expect(summary).toMatchObject({ model: 'small', fallbackUsed: true, errorCode: undefined });
    expect(summary.trail.map((a) => [a.model, a.outcome, a.code])).toEqual([
      ['big', 'ok', undefined],
      ['big', 'failed', 'upstream_error'],
      ['small', 'ok', undefined],
    ]);
    expect(t.scheduler.releases.map((r) => [r.model, r.outcome.ok])).toEqual([
      ['big', false],
      ['small', true],
    ]);
  });

  it('does not fall back on a client error from upstream', async () => {
    const t = setup(() => [{ error: new AppError('bad_request', 'invalid tool schema') }]);
    const { error } = await t.run();
    expect(error).toMatchObject({ code: 'bad_request' });
    expect(t.backends.calls).toHaveLength(1);
  });

  it('times out between tokens (idle) and releases the lease', async () => {
    const t = setup(() => [
      { event: { type: 'text', delta: 'a' } },
      { after: 11_000, event: { type: 'text', delta: 'b' } },
    ]);
    const { error } = await t.run();
    expect(error).toMatchObject({
      code: 'upstream_timeout',
      message: expect.stringContaining('idleSeconds'),
    });
    expect(t.scheduler.releases).toHaveLength(1);
    expect(t.backends.calls[0]!.signal.aborted).toBe(true);
  });

  it('retries the same model with backoff before falling back', async () => {
    const fleet = testFleet({ gateway: { retries: { attempts: 2, backoffSeconds: 1 } } });
    let calls = 0;
    const t = setup(
      (m) =>
        m === 'big' && calls++ < 2
          ? [{ error: new AppError('upstream_unavailable', 'refused') }]
          : textReply('ok', m),
      { fleet },
    );
    const start = t.clock.now();
    const { error, summary } = await t.run();
    expect(error).toBeUndefined();
    expect(summary).toMatchObject({ model: 'big', attempts: 3, fallbackUsed: false });
    expect(t.clock.now() - start).toBeGreaterThanOrEqual(1000 + 2000);
  });

  it('cools a model down after N failures and skips it until the cooldown ends', async () => {
    const fleet = testFleet({ gateway: { cooldown: { enabled: true, failures: 2, seconds: 60 } } });
    const t = setup(
      (m) =>
        m === 'big' ? [{ error: new AppError('upstream_error', 'Ollama answered 500') }] : textReply('ok', m),
      { fleet },
    );
    await t.run();
    await t.run();
    const third = await t.run();
    expect(third.summary.trail[0]).toMatchObject({
      model: 'big',
      outcome: 'skipped',
      reason: expect.stringContaining('cooling down'),
    });
    expect(t.metrics.cooldown.get({ model: 'big' })).toBe(1);
    await t.clock.advance(61_000);
    const fourth = await t.run();
    expect(fourth.summary.trail[0]).toMatchObject({ model: 'big', outcome: 'failed' });
  });

  it('cancels on client disconnect mid-stream: upstream aborted, lease released as cancelled, once', async () => {
    const t = setup((m) => [
      { event: { type: 'text', delta: 'a' } },
      { after: 1000, event: { type: 'text', delta: 'b' } },
      ...textReply('c', m),
    ]);
    const controller = new AbortController();
    const summary = newSummary();
    const stream = await (async () => {
      const p = t.exec.execute(request(), resolveChain(t.fleet, 'coder'), {
        signal: controller.signal,
        summary,
        arrivedAt: t.clock.now(),
      });
      await t.clock.advance(0);
      return p;
    })();
    const it = stream[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ type: 'text', delta: 'a' });
    const next = expect(it.next()).rejects.toMatchObject({ code: 'cancelled' });
    controller.abort();
    await t.clock.advance(2000);
    await next;
    expect(t.scheduler.releases).toEqual([
      { requestId: 'r1', model: 'big', outcome: { ok: false, cancelled: true } },
    ]);
    expect(t.backends.calls[0]!.signal.aborted).toBe(true);
    expect(summary.errorCode).toBe('cancelled');
  });

  it('cancels while queued without falling back', async () => {
    const t = setup((m) => textReply('ok', m));
    t.scheduler.loadMs = 40_000;
    const controller = new AbortController();
    const summary = newSummary();
    const p = t.exec.execute(request(), resolveChain(t.fleet, 'coder'), {
      signal: controller.signal,
      summary,
      arrivedAt: t.clock.now(),
    });
    await t.clock.advance(1000);
    controller.abort();
    await expect(p).rejects.toMatchObject({ code: 'cancelled' });
    expect(t.scheduler.submitted).toHaveLength(1);
  });
});
