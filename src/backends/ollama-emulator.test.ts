// OllamaClient, ollamaBackend, ollamaServerControl and probeServer against the emulator (the
// mac-mini example fleet) on a manual clock: the whole backend side in one process.
import { describe, expect, it } from 'vitest';
import type { ModelConfig } from '../config/index.ts';
import type { ChatEvent, ChatRequest } from '../core/chat.ts';
import { AppError } from '../core/errors/index.ts';
import { sequentialIds } from '../lib/ids.ts';
import type { Responder } from '../emulator/responders/responder.ts';
import { harness, macMini, type Harness } from '../emulator/testing/emulator-harness.ts';
import { probeServer } from './health.ts';
import { ollamaBackend } from './ollama-backend.ts';
import { OllamaClient } from './ollama-client.ts';
import { ollamaServerControl } from './ollama-server-control.ts';

const fleet = macMini();
const modelNamed = (name: string): ModelConfig => fleet.models.find((m) => m.name === name)!;

const responder: Responder = (input) =>
  input.tools.length > 0
    ? { content: '', toolCalls: [{ name: input.tools[0]!, arguments: { path: 'README.md' } }] }
    : { content: 'hello from the emulator' };

function setup(): { h: Harness; client: OllamaClient } {
  const h = harness(fleet, 'mac-mini', { responder });
  const client = new OllamaClient({
    baseUrl: 'http://127.0.0.1:11434',
    fetch: (input: string | URL | Request, init?: RequestInit) => h.emulator.fetch(input, init),
    clock: h.clock,
  });
  return { h, client };
}

const request = (model: string, partial: Partial<ChatRequest> = {}): ChatRequest => ({
  model,
  messages: [{ role: 'user', content: [{ type: 'text', text: 'say hello' }] }],
  stream: true,
  meta: { requestId: 'r1' },
  ...partial,
});

async function collect(it: AsyncIterable<ChatEvent>): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('backends against the emulator', () => {
  it('ollamaBackend streams a reply with usage and the modelled load time', async () => {
    const { h, client } = setup();
    const model = modelNamed('qwen2.5-coder:32b-instruct');
    const backend = ollamaBackend({ client, model, keepAlive: -1, server: 'mac-mini', ids: sequentialIds() });
    const events = await h.until(collect(backend.chat(request(model.name))));
    expect(events[0]).toEqual({ type: 'start', model: model.name, server: 'mac-mini' });
    const text = events.flatMap((e) => (e.type === 'text' ? [e.delta] : [])).join('');
    expect(text).toBe('hello from the emulator');
    const done = events.at(-1);
    expect(done?.type).toBe('done');
    if (done?.type !== 'done') return;
    expect(done.finishReason).toBe('stop');
    expect(done.usage.outputTokens).toBeGreaterThan(0);
    expect(done.timings!.loadMs).toBeGreaterThan(1000);
    const ps = await h.until(client.ps());
    expect(ps.models.find((m) => m.name === model.name)?.context_length).toBe(model.contextTokens);
  });

  it('native tool calls come back as tool_call events with ids and finish tool_calls', async () => {
    const { h, client } = setup();
    const model = modelNamed('qwen-fast');
    const backend = ollamaBackend({ client, model, keepAlive: -1, ids: sequentialIds() });
    const events = await h.until(
      collect(
        backend.chat(request(model.name, { tools: [{ name: 'read_file', parameters: { type: 'object' } }] })),
      ),
    );
    expect(events.filter((e) => e.type === 'tool_call')).toEqual([
      {
        type: 'tool_call',
        index: 0,
        call: { id: expect.any(String) as string, name: 'read_file', arguments: { path: 'README.md' } },
      },
    ]);
    expect(events.at(-1)).toMatchObject({ type: 'done', finishReason: 'tool_calls' });
  });

  it('server control loads with num_ctx, sees it in /api/ps, and unloads it', async () => {
    const { h } = setup();
    const control = ollamaServerControl({
      servers: fleet.servers,
      models: fleet.models,
      fetch: (input: string | URL | Request, init?: RequestInit) => h.emulator.fetch(input, init),
      clock: h.clock,
    });
    const { loadMs } = await h.until(control.load('mac-mini', 'qwen-quality-128k'));
    expect(loadMs).toBeGreaterThan(1000);
    expect(await h.until(control.loaded('mac-mini'))).toContain('qwen-quality-128k');
    await h.until(control.unload('mac-mini', 'qwen-quality-128k'));
    const gone = await h.until(
      (async () => {
        for (let i = 0; i < 20; i++) {
          if (!(await control.loaded('mac-mini')).includes('qwen-quality-128k')) return true;
          await h.clock.sleep(500);
        }
        return false;
      })(),
    );
    expect(gone).toBe(true);
  });

  it('health probe is up and lists residents without sending a completion', async () => {
    const { h, client } = setup();
    const health = await h.until(probeServer(client, { clock: h.clock }));
    expect(health.up).toBe(true);
    expect(health.version).toMatch(/\S/);
    expect(Array.isArray(health.loaded)).toBe(true);
  });

  it('a load failure is load_failed (retryable); a down server is upstream_unavailable', async () => {
    const { h, client } = setup();
    h.emulator.setFault({ loadFailure: { message: 'model requires more system memory than is available' } });
    const e1 = await h.until(client.load('qwen-quality-128k', { numCtx: 8192 })).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(AppError);
    expect((e1 as AppError).code).toBe('load_failed');
    expect((e1 as AppError).retryable).toBe(true);

    h.emulator.setFault({ loadFailure: null, down: true });
    const health = await h.until(probeServer(client, { clock: h.clock }));
    expect(health.up).toBe(false);
    expect(health.error?.code).toBe('upstream_unavailable');
  });

  it('a reset mid-stream surfaces as a retryable AppError after the first chunks', async () => {
    const { h, client } = setup();
    h.emulator.setFault({ resetAfterChunks: 2 });
    const backend = ollamaBackend({
      client,
      model: modelNamed('qwen-fast'),
      keepAlive: -1,
      ids: sequentialIds(),
    });
    const seen: string[] = [];
    const err = await h
      .until(
        (async () => {
          for await (const e of backend.chat(request('qwen-fast'))) seen.push(e.type);
        })(),
      )
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).retryable).toBe(true);
    expect(seen[0]).toBe('start');
  });

  it('an unknown model is model_not_found', async () => {
    const { h, client } = setup();
    const err = await h
      .until(client.chat({ model: 'nope:1b', messages: [{ role: 'user', content: 'x' }] }))
      .catch((e: unknown) => e);
    expect((err as AppError).code).toBe('model_not_found');
  });
});
