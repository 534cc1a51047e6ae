// Ollama's inventory endpoints: GET /api/version, /api/tags, /api/ps and POST /api/show. They never
// touch the scheduler (health checks must not cause loads).
import { createHash } from 'node:crypto';
import type { Hono } from 'hono';
import type { ModelConfig } from '../config/schema.ts';
import { paramsBOf } from '../config/model-memory.ts';
import { OLLAMA_API_VERSION, OllamaShowRequestSchema } from '../protocol/ollama/index.ts';
import type { RunnerView } from './core-types.ts';
import { isoAt, modelOf, parseBody, readJson, type EmulatorContext } from './emulator-context.ts';

/** the Ollama version the emulator reports */
export const EMULATED_OLLAMA_VERSION = OLLAMA_API_VERSION;

const GIB = 1024 ** 3;
/** what Ollama reports as the expiry of a model kept forever */
const FOREVER = '2318-01-01T00:00:00Z';

export function infoRoutes(app: Hono, ctx: EmulatorContext, served: readonly ModelConfig[]): void {
  app.get('/api/version', (c) => c.json({ version: EMULATED_OLLAMA_VERSION }));
  app.get('/api/tags', (c) =>
    c.json({
      models: served.map((m) => ({
        name: tagOf(m.name),
        model: tagOf(m.name),
        modified_at: isoAt(0),
        size: Math.round((m.memoryGiB ?? 0) * GIB),
        digest: digestOf(m),
        details: detailsOf(m),
      })),
    }),
  );
  app.get('/api/ps', (c) => {
    const now = ctx.clock.now();
    const runners = ctx.core.snapshot().runners.filter((r) => r.state !== 'unloading');
    return c.json({
      models: runners.map((r) => {
        const m = ctx.core.resolve(r.name)!;
        const bytes = Math.round(r.sizeGiB * GIB);
        return {
          name: tagOf(r.name),
          model: tagOf(r.name),
          size: bytes,
          digest: digestOf(m),
          details: detailsOf(m),
          expires_at: expiresAt(r, now),
          size_vram: bytes,
          context_length: r.contextLength,
        };
      }),
    });
  });
  app.post('/api/show', async (c) => {
    const req = parseBody(OllamaShowRequestSchema, await readJson(c));
    const m = modelOf(ctx, (req.model ?? req.name)!);
    const details = detailsOf(m);
    return c.json({
      modelfile: `# emulated by orchestra\nFROM ${m.weights ?? m.name}\nPARAMETER num_ctx ${m.contextTokens}\n`,
      parameters: `num_ctx                        ${m.contextTokens}`,
      template: '{{ .Prompt }}',
      details,
      model_info: {
        'general.architecture': details.family,
        'general.parameter_count': Math.round(paramsBOf(m) * 1e9),
        [`${details.family}.context_length`]: Math.max(m.contextTokens, 32768),
      },
      capabilities: [
        'completion',
        ...(m.toolProtocol === 'native' ? ['tools'] : []),
        ...(m.thinking ? ['thinking'] : []),
      ],
      modified_at: isoAt(0),
    });
  });
}

/** Ollama names every model with a tag; a name without one means ":latest" */
export function tagOf(name: string): string {
  return name.includes(':') ? name : `${name}:latest`;
}

function expiresAt(r: RunnerView, now: number): string {
  if (r.expiresAt !== undefined) return isoAt(r.expiresAt);
  if (!Number.isFinite(r.keepAliveMs)) return FOREVER;
  // In use: the timer starts when the last request ends, so report keep-alive from now.
  return isoAt(now + Math.max(0, r.keepAliveMs));
}

function digestOf(m: ModelConfig): string {
  const weights = m.weights ?? m.name;
  const hex = /^sha256:([0-9a-f]+)$/.exec(weights)?.[1] ?? '';
  return (hex + createHash('sha256').update(weights).digest('hex')).slice(0, 64);
}

function detailsOf(m: ModelConfig) {
  const family = /qwen/i.test(m.name) ? 'qwen2' : /gemma/i.test(m.name) ? 'gemma3' : 'llama';
  const params = paramsBOf(m);
  return {
    parent_model: '',
    format: 'gguf',
    family,
    families: [family],
    parameter_size: `${params >= 10 ? Math.round(params) : Math.round(params * 10) / 10}B`,
    quantization_level: 'Q4_K_M',
  };
}
