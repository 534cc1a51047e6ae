// The Ollama API contract: what any Ollama-compatible server (the emulator, a real Ollama) must do
// for Orchestra, checked through OllamaClient. Servers on a virtual clock pass `advance`, and the
// suite moves their time while a call is pending (a load or a streamed reply takes modelled time).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OllamaClient, timingsOf } from '../../src/backends/ollama-client.ts';
import { AppError } from '../../src/core/errors/index.ts';
import type { OllamaChatResponse } from '../../src/protocol/ollama/index.ts';

export interface OllamaContractTarget {
  baseUrl: string;
  /** e.g. the emulator's app.fetch; globalThis.fetch when omitted */
  fetch?: typeof fetch;
  /** a model the server has (and can load) */
  model: string;
  /** a second model, for servers that can hold it */
  otherModel?: string;
  /** moves a virtual clock forward by `ms`; omitted for servers on real time */
  advance?: (ms: number) => Promise<void>;
  close(): Promise<void>;
}

export interface OllamaContractOptions {
  /** per-test timeout in real ms (a real Ollama may need long to load) */
  timeoutMs?: number;
  /** num_ctx to load with (small keeps real servers fast) */
  numCtx?: number;
}

const NO_SUCH_MODEL = 'orchestra-contract-no-such-model:0';
const STEP_MS = 1000;
const MAX_VIRTUAL_MS = 2 * 3600 * 1000;

/** Settles `p`, moving the target's clock while it is pending. */
async function drive<T>(target: OllamaContractTarget, p: Promise<T>): Promise<T> {
  const advance = target.advance;
  if (advance === undefined) return p;
  let settled = false;
  const watched = p.finally(() => {
    settled = true;
  });
  watched.catch(() => undefined);
  for (let t = 0; !settled && t < MAX_VIRTUAL_MS; t += STEP_MS) await advance(STEP_MS);
  return watched;
}

/** Polls `check` until it holds: on virtual time by advancing, on real time by short waits. */
async function eventually(
  target: OllamaContractTarget,
  check: () => Promise<boolean>,
  tries = 50,
): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return true;
    if (target.advance !== undefined) await target.advance(STEP_MS);
    else await new Promise((r) => setTimeout(r, 200));
  }
  return check();
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const sameTag = (a: string, b: string): boolean =>
  (a.includes(':') ? a : `${a}:latest`) === (b.includes(':') ? b : `${b}:latest`);

export function ollamaContract(
  name: string,
  makeTarget: () => Promise<OllamaContractTarget>,
  options: OllamaContractOptions = {},
): void {
  const timeout = options.timeoutMs ?? 20_000;
  const numCtx = options.numCtx ?? 2048;

  describe(`Ollama contract: ${name}`, () => {
    let target: OllamaContractTarget;
    let client: OllamaClient;
    const ask = (content: string, extra: Record<string, unknown> = {}) => ({
      model: target.model,
      messages: [{ role: 'user' as const, content }],
      options: { num_ctx: numCtx, num_predict: 256, temperature: 0, ...extra },
    });
    const loadedNames = async (): Promise<string[]> =>
      (await drive(target, client.ps())).models.map((m) => m.name);

    beforeAll(async () => {
      target = await makeTarget();
      const o: ConstructorParameters<typeof OllamaClient>[0] = { baseUrl: target.baseUrl };
      if (target.fetch !== undefined) o.fetch = target.fetch;
      client = new OllamaClient(o);
    }, timeout);

    afterAll(async () => {
      await target?.close();
    }, timeout);

    it(
      'GET /api/version answers a version',
      async () => {
        const v = await drive(target, client.version());
        expect(v.version).toMatch(/\S/);
      },
      timeout,
    );

    it(
      'GET /api/tags lists the model',
      async () => {
        const tags = await drive(target, client.tags());
        expect(tags.models.some((m) => sameTag(m.name, target.model))).toBe(true);
      },
      timeout,
    );

    it(
      'POST /api/show describes the model',
      async () => {
        const show = await drive(target, client.show(target.model));
        expect(
          show.details !== undefined || show.model_info !== undefined || show.capabilities !== undefined,
        ).toBe(true);
      },
      timeout,
    );

    it(
      'POST /api/chat without streaming: done, done_reason stop, timing fields',
      async () => {
        const r = await drive(target, client.chat(ask('Reply with the single word: ok')));
        expect(r.done).toBe(true);
        expect(r.done_reason).toBe('stop');
        expect(r.message.role).toBe('assistant');
        for (const field of [
          'total_duration',
          'load_duration',
          'prompt_eval_count',
          'eval_count',
          'eval_duration',
        ] as const)
          expect(typeof r[field], field).toBe('number');
        expect(r.eval_count).toBeGreaterThan(0);
        const t = timingsOf(r);
        expect(t.totalMs).toBeGreaterThan(0);
        expect(t.totalMs + 1e-6).toBeGreaterThanOrEqual(t.decodeMs);
      },
      timeout,
    );

    it(
      'POST /api/chat streaming: chunks end with one done chunk carrying the metrics',
      async () => {
        const chunks: OllamaChatResponse[] = await drive(
          target,
          collect(client.chatStream(ask('Count from 1 to 5.'))),
        );
        expect(chunks.length).toBeGreaterThan(1);
        expect(chunks.filter((c) => c.done)).toHaveLength(1);
        const last = chunks.at(-1)!;
        expect(last.done).toBe(true);
        expect(['stop', 'length']).toContain(last.done_reason);
        expect(typeof last.eval_count).toBe('number');
        expect(chunks.map((c) => c.message.content).join('')).toMatch(/\S/);
      },
      timeout,
    );

    it(
      'load by empty messages shows in /api/ps with the requested context; unload removes it',
      async () => {
        const model = target.otherModel ?? target.model;
        const loaded = await drive(target, client.load(model, { numCtx, keepAlive: -1 }));
        expect(loaded.response.done_reason).toBe('load');
        const ps = await drive(target, client.ps());
        const entry = ps.models.find((m) => sameTag(m.name, model));
        expect(entry, `${model} in /api/ps`).toBeDefined();
        if (entry?.context_length !== undefined) expect(entry.context_length).toBe(numCtx);
        expect(entry!.size_vram).toBeGreaterThan(0);

        const unloaded = await drive(target, client.unload(model));
        expect(unloaded.done_reason).toBe('unload');
        // A real Ollama stops the runner just after answering: poll briefly.
        const gone = await eventually(
          target,
          async () => !(await loadedNames()).some((n) => sameTag(n, model)),
        );
        expect(gone, `${model} still in /api/ps after unload`).toBe(true);
      },
      timeout,
    );

    it(
      'an unknown model is 404 model_not_found (not retryable)',
      async () => {
        const e = await failure(
          drive(target, client.chat({ model: NO_SUCH_MODEL, messages: [{ role: 'user', content: 'hi' }] })),
        );
        expect(e.code).toBe('model_not_found');
        expect(e.upstreamStatus).toBe(404);
        expect(e.retryable).toBe(false);
      },
      timeout,
    );

    it(
      'a malformed JSON body is 400 with {error}',
      async () => {
        const f = target.fetch ?? globalThis.fetch;
        const res = await drive(
          target,
          f(`${target.baseUrl.replace(/\/+$/, '')}/api/chat`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{"model": "x", "messages": [',
          }),
        );
        expect(res.status).toBe(400);
        const body = (await res.json()) as { error?: unknown };
        expect(typeof body.error).toBe('string');
      },
      timeout,
    );

    it(
      'wrong types are 400 with {error}',
      async () => {
        const f = target.fetch ?? globalThis.fetch;
        const res = await drive(
          target,
          f(`${target.baseUrl.replace(/\/+$/, '')}/api/chat`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: target.model, messages: 'not a list' }),
          }),
        );
        expect(res.status).toBe(400);
        expect(typeof ((await res.json()) as { error?: unknown }).error).toBe('string');
      },
      timeout,
    );
  });
}
