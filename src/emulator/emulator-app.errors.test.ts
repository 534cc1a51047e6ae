// The emulator app under bad input and faults: errors in Ollama's own shape, cancellation, resets
// and a server that is down.
import { describe, expect, it } from 'vitest';
import { harness, macMini } from './testing/emulator-harness.ts';

const CODER = 'qwen2.5-coder:32b-instruct';
const hi = [{ role: 'user', content: 'Say hello to the emulator, please.' }];

describe('emulator app: errors in Ollama’s shape, never a crash', () => {
  it('400 for malformed JSON, a missing body and wrong types; 404 for an unknown model', async () => {
    const h = harness(macMini());
    const cases: Array<[unknown, number, RegExp]> = [
      ['{"model": "qwen-fast", ', 400, /invalid JSON/],
      ['', 400, /missing request body/],
      [{ model: 'qwen-fast', messages: 'hello' }, 400, /messages/],
      [{ model: 42, messages: [] }, 400, /model/],
      [{ model: 'qwen-fast', messages: [{ role: 'wizard', content: 'x' }] }, 400, /role/],
      [{ model: 'qwen-fast', messages: hi, keep_alive: 'soon' }, 400, /keep_alive/],
      [{ model: 'nope', messages: hi }, 404, /^model "nope" not found, try pulling it first$/],
    ];
    for (const [body, status, message] of cases) {
      const res = await h.post('/api/chat', body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      const json = (await res.json()) as { error: string };
      expect(Object.keys(json)).toEqual(['error']);
      expect(json.error).toMatch(message);
    }
    expect((await h.post('/api/show', { model: 'nope' })).status).toBe(404);
    expect((await h.post('/api/embed', { model: 'qwen-fast' })).status).toBe(400);
  });

  it('503 "server busy" beyond the queue max', async () => {
    const fleet = macMini();
    fleet.servers[0]!.queueMax = 1;
    const h = harness(fleet);
    const long = h.post('/api/chat', {
      model: 'qwen-fast',
      messages: hi,
      stream: false,
      options: { num_predict: 500 },
    });
    await h.clock.advance(1000);
    const queued = h.post('/api/chat', { model: CODER, messages: hi, stream: false });
    await h.clock.advance(1000);
    const refused = await h.post('/api/chat', { model: 'qwen-quality-128k', messages: hi, stream: false });
    expect(refused.status).toBe(503);
    expect(await refused.json()).toEqual({
      error: 'server busy, please try again.  maximum pending requests exceeded',
    });
    expect((await h.until(long)).status).toBe(200);
    expect((await h.until(queued)).status).toBe(200);
  });

  it('500 when a load fails (fault) or the model cannot fit', async () => {
    const h = harness(macMini(), 'mac-mini', { faults: { loadFailure: { model: CODER } } });
    const failed = await h.until(h.post('/api/chat', { model: CODER, messages: hi }));
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { error: string }).error).toMatch(/out of memory/);
    const huge = await h.until(
      h.post('/api/chat', { model: 'qwen-fast', messages: hi, options: { num_ctx: 1_000_000 } }),
    );
    expect(huge.status).toBe(500);
    expect(((await huge.json()) as { error: string }).error).toMatch(/requires more system memory/);
  });
});

describe('emulator app: cancellation and faults', () => {
  it('frees the slot exactly once when the client goes away mid-stream', async () => {
    const h = harness(macMini());
    const abort = new AbortController();
    const res = await h.until(
      h.post(
        '/api/chat',
        { model: 'qwen-fast', messages: hi, options: { num_predict: 200 } },
        { signal: abort.signal },
      ),
    );
    const reader = res.body!.getReader();
    await h.until(reader.read());
    expect(h.emulator.state().admitted).toBe(1);
    abort.abort();
    await reader.cancel();
    await h.clock.advance(0);
    expect(h.emulator.state()).toMatchObject({ admitted: 0, queued: 0 });
    expect(h.emulator.state().runners[0]).toMatchObject({ refCount: 0, active: 0 });
  });

  it('close() fails what is pending and refuses what comes after, with 503', async () => {
    const h = harness(macMini());
    const pending = h.post('/api/chat', { model: CODER, messages: hi, stream: false });
    await h.clock.advance(1000);
    h.emulator.close();
    expect((await pending).status).toBe(503);
    expect((await h.post('/api/chat', { model: 'qwen-fast', messages: hi })).status).toBe(503);
    expect(h.clock.pending).toBe(0); // no timer left behind
  });

  it('drops a queued request whose client went away', async () => {
    const h = harness(macMini());
    const abort = new AbortController();
    const p = h.post('/api/chat', { model: CODER, messages: hi }, { signal: abort.signal });
    p.catch(() => {});
    await h.clock.advance(1000);
    expect(h.emulator.state().admitted).toBe(1); // admitted to the loading runner
    abort.abort();
    await h.clock.advance(0);
    expect(h.emulator.state().admitted).toBe(0);
  });

  it('breaks a stream off after N chunks, delays the first token, and refuses connections when down', async () => {
    const h = harness(macMini());
    h.emulator.setFault({ resetAfterChunks: 3, slowFirstTokenMs: 30_000 });
    const res = await h.until(
      h.post('/api/chat', { model: 'qwen-fast', messages: hi, options: { num_predict: 50 } }),
    );
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const got: string[] = [];
    await expect(
      h.until(
        (async () => {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) return;
            got.push(new TextDecoder().decode(value));
          }
        })(),
      ),
    ).rejects.toThrow(/connection reset/);
    expect(got).toHaveLength(3);
    expect(h.emulator.state().admitted).toBe(0);

    const admin = await h.post('/admin/faults', { down: true, resetAfterChunks: null });
    expect(await admin.json()).toEqual({ down: true, slowFirstTokenMs: 30_000 });
    const refused = await h.get('/api/tags').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect(((refused as TypeError).cause as { code: string }).code).toBe('ECONNREFUSED');
    await h.post('/admin/faults', { down: false });
    expect((await h.get('/api/tags')).status).toBe(200);
    expect((await h.post('/admin/faults', { down: 'yes' })).status).toBe(400);
  });
});
