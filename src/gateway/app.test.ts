import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { sequentialIds } from '../lib/ids.ts';
import { openUsageStore } from '../store/index.ts';
import { createGateway } from './app.ts';
import { hashKey } from './key-hash.ts';
import { fakeScheduler, scriptedBackends, testFleet, textReply } from './testing/fakes.ts';

async function setup(
  opts: {
    master?: string;
    keys?: Array<{ name: string; key: string; aliases?: string[] }>;
    bodyLimitBytes?: number;
  } = {},
) {
  const keys = await Promise.all(
    (opts.keys ?? []).map(async (k) => ({
      name: k.name,
      hash: await hashKey(k.key, { N: 1024, r: 8, p: 1 }),
      aliases: k.aliases,
    })),
  );
  const fleet = testFleet({
    gateway: {
      keys,
      bodyLimitBytes: opts.bodyLimitBytes ?? 10_000,
      timeouts: { connectSeconds: 5, firstTokenSeconds: 30, idleSeconds: 10, totalSeconds: 600 },
    },
  });
  const clock = new ManualClock(1_700_000_000_000);
  const scheduler = fakeScheduler(clock, fleet);
  const backends = scriptedBackends(clock, (m) => textReply(`hi from ${m.name}`, m.name));
  const store = openUsageStore(':memory:');
  const gw = createGateway({
    fleet,
    clock,
    scheduler,
    backends,
    store,
    env: opts.master ? { ORCHESTRA_MASTER_KEY: opts.master } : {},
    ids: sequentialIds(),
  });
  const call = async (path: string, init: RequestInit & { json?: unknown } = {}) => {
    const headers = new Headers(init.headers);
    if (init.json !== undefined) headers.set('content-type', 'application/json');
    const p = gw.fetch(
      new Request(`http://gw${path}`, {
        ...init,
        headers,
        body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
      }),
    );
    await clock.runAll();
    const res = await p;
    const text = res.text();
    await clock.runAll();
    return { res, text: await text };
  };
  return { fleet, clock, scheduler, store, gw, call };
}

const chat = (model = 'coder', extra: Record<string, unknown> = {}) => ({
  model,
  messages: [{ role: 'user', content: 'hello' }],
  ...extra,
});
const msg = (model = 'coder', extra: Record<string, unknown> = {}) => ({
  model,
  max_tokens: 100,
  messages: [{ role: 'user', content: 'hello' }],
  ...extra,
});

describe('gateway app', () => {
  it('answers OpenAI chat, not streamed, with headers and a usage row', async () => {
    const t = await setup();
    const { res, text } = await t.call('/v1/chat/completions', {
      method: 'POST',
      json: chat(),
      headers: { 'x-orchestra-agent': 'coder-1' },
    });
    expect(res.status).toBe(200);
    const body = JSON.parse(text);
    expect(body.choices[0].message.content).toBe('hi from big');
    expect(body.model).toBe('coder');
    expect(res.headers.get('x-orchestra-model')).toBe('big');
    expect(res.headers.get('x-orchestra-server')).toBe('local');
    expect(res.headers.get('x-orchestra-queue-position')).toBe('1');
    expect(t.store.recent(1)[0]).toMatchObject({
      api: 'openai',
      alias: 'coder',
      model: 'big',
      agent: 'coder-1',
      status: 200,
      inputTokens: 5,
      outputTokens: 2,
      local: true,
    });
  });

  it('streams OpenAI SSE ending with [DONE]', async () => {
    const t = await setup();
    const { res, text } = await t.call('/v1/chat/completions', {
      method: 'POST',
      json: chat('coder', { stream: true }),
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(text).toContain('"content":"hi from big"');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('streams Anthropic with pings while the model loads', async () => {
    const t = await setup();
    t.scheduler.loadMs = 35_000;
    const { res, text } = await t.call('/v1/messages', {
      method: 'POST',
      json: msg('coder', { stream: true }),
    });
    expect(res.status).toBe(200);
    const events = [...text.matchAll(/^event: (\w+)/gm)].map((m) => m[1]);
    expect(events[0]).toBe('message_start');
    expect(events.filter((e) => e === 'ping').length).toBeGreaterThanOrEqual(3);
    expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(t.store.recent(1)[0]).toMatchObject({ api: 'anthropic', loadMs: 35_000, status: 200 });
  });

  it('answers the Ollama face streamed as NDJSON and not streamed', async () => {
    const t = await setup();
    const s = await t.call('/api/chat', { method: 'POST', json: chat('coder') });
    const lines = s.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: { content: string } });
    expect(lines.at(-1)).toMatchObject({ done: true, done_reason: 'stop', eval_count: 2 });
    expect(lines.map((l) => l.message.content).join('')).toBe('hi from big');
    const n = await t.call('/api/chat', { method: 'POST', json: chat('coder', { stream: false }) });
    expect(JSON.parse(n.text)).toMatchObject({
      done: true,
      message: { role: 'assistant', content: 'hi from big' },
    });
  });

  it('takes name:latest for a listed name, as Ollama does, also for alias-limited keys', async () => {
    const t = await setup({ keys: [{ name: 'ci', key: 'ci-key', aliases: ['coder'] }] });
    const headers = { authorization: 'Bearer ci-key' };
    // first, so the key is verified (scrypt, off the manual clock) before a model call needs the clock
    const unknown = await t.call('/api/chat', { method: 'POST', json: chat('nope:latest'), headers });
    expect(unknown.res.status).toBe(403);
    const json = chat('coder:latest', { stream: false });
    const r = await t.call('/api/chat', { method: 'POST', json, headers });
    expect(r.res.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ message: { content: 'hi from big' } });
    expect(t.store.recent(1)[0]).toMatchObject({ alias: 'coder', model: 'big' });
  });

  it('refuses missing and wrong keys in each API shape, and alias-limited keys with 403', async () => {
    const t = await setup({ master: 'm-secret', keys: [{ name: 'ci', key: 'ci-key', aliases: ['coder'] }] });
    const a = await t.call('/v1/chat/completions', { method: 'POST', json: chat() });
    expect(a.res.status).toBe(401);
    expect(JSON.parse(a.text)).toMatchObject({
      error: { type: 'authentication_error', code: 'unauthorized' },
    });
    const b = await t.call('/v1/messages', {
      method: 'POST',
      json: msg(),
      headers: { 'x-api-key': 'wrong' },
    });
    expect(b.res.status).toBe(401);
    expect(JSON.parse(b.text)).toMatchObject({ type: 'error', error: { type: 'authentication_error' } });
    const c = await t.call('/v1/chat/completions', {
      method: 'POST',
      json: chat('big'),
      headers: { authorization: 'Bearer ci-key' },
    });
    expect(c.res.status).toBe(403);
    const d = await t.call('/v1/chat/completions', {
      method: 'POST',
      json: chat('coder'),
      headers: { authorization: 'Bearer ci-key' },
    });
    expect(d.res.status).toBe(200);
    expect(t.store.recent(1)[0]).toMatchObject({ keyName: 'ci' });
    const listed = await t.call('/v1/models', { headers: { authorization: 'Bearer ci-key' } });
    expect((JSON.parse(listed.text) as { data: Array<{ id: string }> }).data.map((m) => m.id)).toEqual([
      'coder',
    ]);
    // a model the key may not use is neither retrievable nor countable
    const hidden = await t.call('/v1/models/big', { headers: { authorization: 'Bearer ci-key' } });
    expect(hidden.res.status).toBe(404);
    const count = (model: string) =>
      t.call('/v1/messages/count_tokens', {
        method: 'POST',
        json: { model, messages: [{ role: 'user', content: 'hello' }] },
        headers: { 'x-api-key': 'ci-key' },
      });
    expect((await count('big')).res.status).toBe(403);
    expect((await count('coder')).res.status).toBe(200);
    const q = await t.call('/admin/queue', { headers: { authorization: 'Bearer ci-key' } });
    expect(q.res.status).toBe(403);
    const q2 = await t.call('/admin/queue', { headers: { authorization: 'Bearer m-secret' } });
    expect(q2.res.status).toBe(200);
    expect(a.text + b.text).not.toContain('m-secret');
  });

  it('gives bad input a 4xx in the right envelope', async () => {
    const t = await setup({ bodyLimitBytes: 2000 });
    const bad = await t.call('/v1/chat/completions', {
      method: 'POST',
      body: '{"model": "coder",',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.res.status).toBe(400);
    expect(JSON.parse(bad.text).error.message).toMatch(/invalid JSON/);
    const big = await t.call('/v1/messages', {
      method: 'POST',
      json: msg('coder', { messages: [{ role: 'user', content: 'x'.repeat(5000) }] }),
    });
    expect(big.res.status).toBe(413);
    expect(JSON.parse(big.text)).toMatchObject({ type: 'error', error: { type: 'request_too_large' } });
    const unknown = await t.call('/v1/chat/completions', { method: 'POST', json: chat('gpt-17') });
    expect(unknown.res.status).toBe(404);
    expect(JSON.parse(unknown.text).error.message).toMatch(/unknown model "gpt-17"/);
    const tool = await t.call('/v1/messages', {
      method: 'POST',
      json: msg('coder', { tools: [{ name: 't', input_schema: { type: 'string' } }] }),
    });
    expect(tool.res.status).toBe(400);
    expect(JSON.parse(tool.text).error.message).toMatch(/tool "t"/);
    const prio = await t.call('/v1/chat/completions', {
      method: 'POST',
      json: chat(),
      headers: { 'x-orchestra-priority': 'urgent' },
    });
    expect(prio.res.status).toBe(400);
    const ollama = await t.call('/api/chat', { method: 'POST', json: { model: 3 } });
    expect(ollama.res.status).toBe(400);
    expect(JSON.parse(ollama.text)).toEqual({ error: expect.stringContaining('model') });
    expect(t.store.recent(10).every((r) => r.status >= 400 && r.status < 500)).toBe(true);
  });

  it('answers admission refusals with 429 and Retry-After', async () => {
    const t = await setup();
    for (const m of ['big', 'small'])
      t.scheduler.failWith.set(m, new AppError('rate_limited', 'queue too long', { retryAfterSeconds: 30 }));
    const { res, text } = await t.call('/v1/chat/completions', { method: 'POST', json: chat('coder') });
    // the chain's cloud model answers when the local ones refuse
    expect(res.status).toBe(200);
    expect(JSON.parse(text).choices[0].message.content).toBe('hi from claude');
    const only = await t.call('/v1/chat/completions', { method: 'POST', json: chat('big') });
    expect(only.res.status).toBe(429);
    expect(only.res.headers.get('retry-after')).toBe('30');
  });

  it('serves health, models, tags, count_tokens and metrics without a model call', async () => {
    const t = await setup();
    expect((await t.call('/health')).res.status).toBe(200);
    const models = JSON.parse((await t.call('/v1/models')).text) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toEqual(['coder', 'big', 'small', 'claude']);
    expect(JSON.parse((await t.call('/api/tags')).text).models).toHaveLength(4);
    const ct = await t.call('/v1/messages/count_tokens', {
      method: 'POST',
      json: { model: 'coder', messages: [{ role: 'user', content: 'hello there' }] },
    });
    expect(JSON.parse(ct.text).input_tokens).toBeGreaterThan(0);
    expect(t.scheduler.submitted).toHaveLength(0);
    await t.call('/v1/chat/completions', { method: 'POST', json: chat() });
    const m = await t.call('/metrics');
    expect(m.text).toContain('orchestra_requests_total{alias="coder",api="openai",status="200"} 1');
    expect(m.text).toContain('orchestra_time_to_first_token_seconds_count{model="big"} 1');
    expect((await t.call('/nope')).res.status).toBe(404);
  });

  it('labels requests for unknown models as (unknown), never with the client-given name', async () => {
    const t = await setup();
    for (const name of ['secret prompt text 1', 'secret prompt text 2'])
      expect((await t.call('/v1/chat/completions', { method: 'POST', json: chat(name) })).res.status).toBe(
        404,
      );
    const m = await t.call('/metrics');
    expect(m.text).not.toContain('secret prompt text');
    expect(m.text).toContain('orchestra_requests_total{alias="(unknown)",api="openai",status="404"} 2');
  });
});
