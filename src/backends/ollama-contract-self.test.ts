// Checks the Ollama contract suite itself against a minimal Ollama-like Hono app on a manual
// clock (loads and tokens take virtual time), so the suite is known to pass a compliant server and
// to drive virtual time. The emulator and real Ollama run the same suite in test/contract/.
import { Hono } from 'hono';
import { ManualClock } from '../lib/clock.ts';
import { ndjsonLine } from '../lib/ndjson.ts';
import { OllamaChatRequestSchema, OllamaShowRequestSchema } from '../protocol/ollama/index.ts';
import { ollamaContract } from '../../test/contract/ollama-contract.ts';

const MODELS = ['tiny:1b', 'small:3b'];
const LOAD_MS = 3000;
const TOKEN_MS = 100;

function miniOllama(clock: ManualClock): Hono {
  const loaded = new Map<string, number>();
  const app = new Hono();
  const at = (): string => new Date(clock.now()).toISOString();
  const metrics = {
    total_duration: 4e8,
    load_duration: 1e6,
    prompt_eval_count: 5,
    prompt_eval_duration: 1e8,
    eval_count: 3,
    eval_duration: 3e8,
  };
  const chunk = (model: string, content: string, done: boolean, extra: object = {}) => ({
    model,
    created_at: at(),
    message: { role: 'assistant', content },
    done,
    ...extra,
  });

  app.get('/api/version', (c) => c.json({ version: '0.0.0-mini' }));
  app.get('/api/tags', (c) =>
    c.json({ models: MODELS.map((name) => ({ name, model: name, size: 1e9, digest: name })) }),
  );
  app.get('/api/ps', (c) =>
    c.json({
      models: [...loaded].map(([name, ctx]) => ({
        name,
        model: name,
        size: 1e9,
        size_vram: 1e9,
        digest: name,
        expires_at: at(),
        context_length: ctx,
      })),
    }),
  );
  app.post('/api/show', async (c) => {
    const parsed = OllamaShowRequestSchema.safeParse(await c.req.json().catch(() => null));
    if (!parsed.success) return c.json({ error: 'invalid request' }, 400);
    const name = parsed.data.model ?? parsed.data.name ?? '';
    if (!MODELS.includes(name)) return c.json({ error: `model '${name}' not found` }, 404);
    return c.json({ details: { family: 'mini' }, capabilities: ['completion'] });
  });
  app.post('/api/chat', async (c) => {
    let raw: unknown;
    try {
      raw = JSON.parse(await c.req.text());
    } catch (e) {
      return c.json({ error: (e as Error).message }, 400);
    }
    const parsed = OllamaChatRequestSchema.safeParse(raw);
    if (!parsed.success) return c.json({ error: parsed.error.issues[0]?.message ?? 'invalid' }, 400);
    const req = parsed.data;
    if (!MODELS.includes(req.model))
      return c.json({ error: `model '${req.model}' not found, try pulling it first` }, 404);
    if ((req.messages ?? []).length === 0 && req.keep_alive === 0) {
      loaded.delete(req.model);
      return c.json(chunk(req.model, '', true, { done_reason: 'unload' }));
    }
    if (!loaded.has(req.model)) {
      await clock.sleep(LOAD_MS);
      loaded.set(req.model, req.options?.num_ctx ?? 2048);
    }
    if ((req.messages ?? []).length === 0) return c.json(chunk(req.model, '', true, { done_reason: 'load' }));
    const words = ['ok', ' then', '.'];
    if (req.stream === false) {
      await clock.sleep(TOKEN_MS * words.length);
      return c.json(chunk(req.model, words.join(''), true, { done_reason: 'stop', ...metrics }));
    }
    let i = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(ctrl) {
        await clock.sleep(TOKEN_MS);
        const line =
          i < words.length
            ? chunk(req.model, words[i]!, false)
            : chunk(req.model, '', true, { done_reason: 'stop', ...metrics });
        ctrl.enqueue(new TextEncoder().encode(ndjsonLine(line)));
        if (i++ >= words.length) ctrl.close();
      },
    });
    return new Response(body, { headers: { 'content-type': 'application/x-ndjson' } });
  });
  return app;
}

ollamaContract('minimal in-test Ollama on a manual clock', () => {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const app = miniOllama(clock);
  return Promise.resolve({
    baseUrl: 'http://mini.test:11434',
    fetch: ((input: string | URL | Request, init?: RequestInit) =>
      app.fetch(new Request(input, init))) as typeof fetch,
    model: MODELS[0]!,
    otherModel: MODELS[1]!,
    advance: (ms: number) => clock.advance(ms),
    close: () => Promise.resolve(),
  });
});
