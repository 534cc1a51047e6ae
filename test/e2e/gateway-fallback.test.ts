// Emulator faults move a request to the next model of its alias chain before the first byte, and
// the usage store records it; after the first byte there is no fallback; a client disconnect
// aborts the upstream request and frees the emulator's slot.
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { BASE, e2eFleet, gatewayHarness, type GatewayHarness } from './gateway-harness.ts';

let h: GatewayHarness;
afterEach(() => h.close());

const client = () => new OpenAI({ baseURL: `${BASE}/v1`, apiKey: 'k', fetch: h.fetch, maxRetries: 0 });
const ask = () =>
  client().chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: 'write code' }] });

async function metric(name: string): Promise<string> {
  const text = await (await h.fetch(`${BASE}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(name))
    .join('\n');
}

describe('fallback along the alias chain', () => {
  it('moves to the next model when the primary fails to load', async () => {
    h = await gatewayHarness();
    h.emulators
      .get('alpha')!
      .setFault({ loadFailure: { model: 'qwen2.5-coder:32b', message: 'out of memory' } });
    const r = await h.until(ask());
    expect(r.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(h.store.recent(1)[0]).toMatchObject({
      model: 'qwen2.5:7b',
      server: 'beta',
      fallbackUsed: true,
      attempts: 2,
      status: 200,
    });
    expect(await metric('orchestra_fallbacks_total')).toContain('reason="load_failed"');
  });

  it('moves to the next model when the primary server is down', async () => {
    h = await gatewayHarness();
    h.emulators.get('alpha')!.setFault({ down: true });
    await h.until(ask());
    expect(h.store.recent(1)[0]).toMatchObject({ model: 'qwen2.5:7b', fallbackUsed: true, status: 200 });
    // the scheduler's load through the down server fails first
    expect(await metric('orchestra_fallbacks_total')).toMatch(/reason="(upstream_unavailable|load_failed)"/);
  });

  it('moves on when the first token is slower than firstTokenSeconds, freeing the slow slot', async () => {
    h = await gatewayHarness();
    h.emulators.get('alpha')!.setFault({ slowFirstTokenMs: 300_000 });
    await h.until(ask());
    expect(h.store.recent(1)[0]).toMatchObject({ model: 'qwen2.5:7b', fallbackUsed: true, status: 200 });
    expect(await metric('orchestra_fallbacks_total')).toContain('reason="upstream_timeout"');
    await h.clock.advance(400_000);
    expect(h.emulators.get('alpha')!.state()).toMatchObject({ queued: 0, admitted: 0 });
  });

  it('fails with the chain exhausted: a 5xx in the API envelope, recorded with its error code', async () => {
    h = await gatewayHarness();
    for (const e of h.emulators.values()) e.setFault({ down: true });
    const err = await h.until(ask().catch((e: unknown) => e));
    expect(err).toBeInstanceOf(OpenAI.APIError);
    // the scheduler tries to load through the down servers: load_failed (500) or unavailable (503)
    const status = (err as InstanceType<typeof OpenAI.APIError>).status;
    expect([500, 503]).toContain(status);
    const row = h.store.recent(1)[0]!;
    expect(row).toMatchObject({ status, attempts: 2 });
    expect(['upstream_unavailable', 'load_failed']).toContain(row.errorCode);
  });

  it('never falls back after the first byte: a reset mid-stream ends the stream with an error', async () => {
    h = await gatewayHarness();
    h.emulators.get('alpha')!.setFault({ resetAfterChunks: 3 });
    const outcome = await h.until(
      (async () => {
        let text = '';
        try {
          const stream = await client().chat.completions.create({
            model: 'coder',
            messages: [{ role: 'user', content: 'long answer please' }],
            stream: true,
          });
          for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
          return { text, error: undefined };
        } catch (e) {
          return { text, error: e };
        }
      })(),
    );
    expect(outcome.text.length).toBeGreaterThan(0);
    expect(outcome.error).toBeDefined();
    expect(h.store.recent(1)[0]).toMatchObject({ model: 'qwen2.5-coder:32b', fallbackUsed: false });
    expect(h.store.recent(1)[0]!.status).toBeGreaterThanOrEqual(500);
  });

  it('falls back on a reset mid-answer when the answer is not streamed: nothing reached the client', async () => {
    h = await gatewayHarness();
    h.emulators.get('alpha')!.setFault({ resetAfterChunks: 3 });
    const r = await h.until(ask());
    expect(r.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(h.store.recent(1)[0]).toMatchObject({ model: 'qwen2.5:7b', fallbackUsed: true, status: 200 });
  });

  it('refuses a prompt that fits no model of the chain before any model call', async () => {
    // both models of the chain have 8192 tokens of context; the prompt is about 10 000
    h = await gatewayHarness({ fleet: e2eFleet() });
    const long = 'word '.repeat(8000);
    const err = await h.until(
      client()
        .chat.completions.create({ model: 'coder', messages: [{ role: 'user', content: long }] })
        .catch((e: unknown) => e),
    );
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).code).toBe('context_too_long');
    for (const e of h.emulators.values()) expect(e.state().runners).toEqual([]);
  });

  it('aborts the upstream request and frees the slot when the client disconnects', async () => {
    h = await gatewayHarness();
    const controller = new AbortController();
    const res = await h.until(
      h.fetch(`${BASE}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'coder',
          stream: true,
          max_tokens: 500,
          messages: [{ role: 'user', content: 'a long story' }],
        }),
        signal: controller.signal,
      }),
    );
    const reader: ReadableStreamDefaultReader<Uint8Array> = res.body!.getReader();
    // keep-alives come first while the 32B loads; read until the model's first token arrived
    let seen = '';
    while (!/"content":"[^"]/.test(seen))
      seen += new TextDecoder().decode((await h.until(reader.read())).value);
    expect(h.emulators.get('alpha')!.state().admitted).toBe(1);
    controller.abort();
    await reader.cancel().catch(() => {});
    await h.clock.advance(1000);
    expect(h.emulators.get('alpha')!.state().admitted).toBe(0);
    await h.clock.advance(1000);
    expect(h.store.recent(1)[0]).toMatchObject({ errorCode: 'cancelled', status: 499 });
  });
});
