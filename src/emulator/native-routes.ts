// Ollama's native generation endpoints: POST /api/chat, /api/generate and /api/embed, including
// load (empty messages or prompt) and unload (the same with keep_alive 0).
import type { Context, Hono } from 'hono';
import type { ModelConfig } from '../config/index.ts';
import { AppError } from '../core/errors/index.ts';
import {
  OllamaChatRequestSchema,
  OllamaEmbedRequestSchema,
  OllamaGenerateRequestSchema,
  keepAliveSeconds,
  type OllamaFormat,
  type OllamaKeepAlive,
  type OllamaOptions,
  type OllamaThink,
} from '../protocol/ollama/index.ts';
import { seededRandom } from '../lib/random.ts';
import {
  hangUpOf,
  isoAt,
  modelOf,
  nanos,
  parseBody,
  readJson,
  type EmulatorContext,
} from './emulator-context.ts';
import { generationStream, STREAMED } from './generation-stream.ts';
import {
  startGeneration,
  type Finished,
  type Generation,
  type GenerationInput,
  type PromptMessage,
} from './generation.ts';
import { agentOf, parametersOf } from './request-identity.ts';
import { hashText } from './responders/hash-text.ts';
import type { ResponderToolCall } from './responders/responder.ts';
import { ndjsonLine as line } from '../lib/ndjson.ts';

type Kind = 'chat' | 'generate';

export function nativeRoutes(app: Hono, ctx: EmulatorContext): void {
  app.post('/api/chat', async (c) => {
    const req = parseBody(OllamaChatRequestSchema, await readJson(c));
    const model = modelOf(ctx, req.model);
    assertCanThink(model, req.think, req.model);
    const messages: PromptMessage[] = (req.messages ?? []).map((m) => ({
      role: m.role,
      content: m.content,
      ...(m.tool_calls?.length
        ? { toolCalls: m.tool_calls.map((t) => ({ name: t.function.name, arguments: t.function.arguments })) }
        : {}),
    }));
    const tools = (req.tools ?? []).map((t) => t.function.name);
    const toolsText = req.tools?.length ? JSON.stringify(req.tools) : undefined;
    const toolParameters = parametersOf((req.tools ?? []).map((t) => t.function));
    return complete(
      c,
      ctx,
      'chat',
      {
        model,
        messages,
        tools,
        toolParameters,
        ...(toolsText ? { toolsText } : {}),
        ...agentOf(c),
        ...common(req),
      },
      req.stream,
      req.model,
    );
  });

  app.post('/api/generate', async (c) => {
    const req = parseBody(OllamaGenerateRequestSchema, await readJson(c));
    const model = modelOf(ctx, req.model);
    assertCanThink(model, req.think, req.model);
    const messages: PromptMessage[] = [];
    if (req.prompt) {
      if (req.system) messages.push({ role: 'system', content: req.system });
      messages.push({ role: 'user', content: req.prompt });
    }
    return complete(
      c,
      ctx,
      'generate',
      { model, messages, tools: [], ...agentOf(c), ...common(req) },
      req.stream,
      req.model,
    );
  });

  app.post('/api/embed', async (c) => {
    const req = parseBody(OllamaEmbedRequestSchema, await readJson(c));
    const model = modelOf(ctx, req.model);
    const inputs = typeof req.input === 'string' ? [req.input] : req.input;
    const gen = await startGeneration(ctx, {
      model,
      messages: inputs.map((content) => ({ role: 'user', content })),
      tools: [],
      signal: c.req.raw.signal,
      ...common(req),
      noOutput: true,
    });
    const done = await gen.ticket.finished;
    return c.json({
      model: req.model,
      embeddings: inputs.map((text) => embedding(text, req.dimensions ?? 384)),
      total_duration: nanos(done.timings.totalMs),
      load_duration: nanos(done.timings.loadMs),
      prompt_eval_count: done.promptTokens + done.cachedTokens,
    });
  });
}

/** Ollama answers 400 to a request to think sent to a model without the "thinking" capability */
function assertCanThink(model: ModelConfig, think: OllamaThink | undefined, name: string): void {
  if (think !== undefined && think !== false && !model.thinking)
    throw new AppError('bad_request', `"${name}" does not support thinking`);
}

function common(req: {
  think?: OllamaThink | undefined;
  options?: OllamaOptions | undefined;
  keep_alive?: OllamaKeepAlive | undefined;
  format?: OllamaFormat | undefined;
}) {
  return {
    ...(req.think !== undefined && req.think !== false ? { think: true } : {}),
    ...(req.format !== undefined && req.format !== '' ? { format: req.format } : {}),
    ...(req.options?.num_ctx !== undefined ? { numCtx: req.options.num_ctx } : {}),
    ...(req.options?.num_predict !== undefined ? { numPredict: req.options.num_predict } : {}),
    ...(req.options?.stop?.length ? { stop: req.options.stop } : {}),
    ...(req.keep_alive !== undefined ? { keepAliveMs: keepAliveSeconds(req.keep_alive) * 1000 } : {}),
  };
}

async function complete(
  c: Context,
  ctx: EmulatorContext,
  kind: Kind,
  input: Omit<GenerationInput, 'signal'>,
  stream: boolean | undefined,
  /** the name the client used; Ollama echoes it */
  name: string,
): Promise<Response> {
  if (input.messages.length === 0) return loadOrUnload(c, ctx, kind, input, name);
  const gen = await startGeneration(ctx, { ...input, signal: c.req.raw.signal });
  const shape = shapes(kind, name, ctx);
  if (stream === false) {
    const done = await gen.ticket.finished;
    return c.json(shape.final(done, gen, gen.tokens.join(''), gen.toolCalls, gen.thinkingTokens.join('')));
  }
  const body = await generationStream(
    ctx,
    gen,
    {
      thinking: (delta) => line(shape.chunk('', [], delta)),
      token: (delta) => line(shape.chunk(delta, [])),
      toolCalls: (calls) => line(shape.chunk('', calls)),
      final: (done) => line(shape.final(done, gen, '', [])),
    },
    c.req.raw.signal,
    hangUpOf(c),
  );
  return new Response(body, { headers: { 'content-type': 'application/x-ndjson', ...STREAMED } });
}

/** empty messages: load the model (done_reason "load"), or with keep_alive 0 unload it ("unload") */
async function loadOrUnload(
  c: Context,
  ctx: EmulatorContext,
  kind: Kind,
  input: Omit<GenerationInput, 'signal'>,
  name: string,
): Promise<Response> {
  const shape = shapes(kind, name, ctx);
  if (input.keepAliveMs === 0) {
    ctx.driver.expire(input.model.name);
    return c.json({ ...shape.chunk('', []), done: true, done_reason: 'unload' });
  }
  const gen = await startGeneration(ctx, { ...input, noOutput: true, signal: c.req.raw.signal });
  await gen.ticket.finished;
  return c.json({ ...shape.chunk('', []), done: true, done_reason: 'load' });
}

function shapes(kind: Kind, model: string, ctx: EmulatorContext) {
  const chunk = (text: string, calls: ResponderToolCall[], thinking = ''): Record<string, unknown> => {
    const head = { model, created_at: isoAt(ctx.clock.now()) };
    if (kind === 'generate')
      return { ...head, response: text, ...(thinking ? { thinking } : {}), done: false };
    const message: Record<string, unknown> = { role: 'assistant', content: text };
    if (thinking) message.thinking = thinking;
    if (calls.length > 0)
      message.tool_calls = calls.map((call, index) => ({
        id: `call_${hashText(`${index}:${call.name}:${JSON.stringify(call.arguments)}`).toString(36)}`,
        function: { index, name: call.name, arguments: call.arguments },
      }));
    return { ...head, message, done: false };
  };
  const final = (
    done: Finished,
    gen: Generation,
    text: string,
    calls: ResponderToolCall[],
    thinking = '',
  ) => ({
    ...chunk(text, calls, thinking),
    done: true,
    done_reason: gen.doneReason,
    total_duration: nanos(done.timings.totalMs),
    load_duration: nanos(done.timings.loadMs),
    // as Ollama reports them: the whole prompt, and the cached part of it when there is one
    prompt_eval_count: done.promptTokens + done.cachedTokens,
    ...(done.cachedTokens > 0 ? { prompt_eval_cached_count: done.cachedTokens } : {}),
    prompt_eval_duration: nanos(done.timings.prefillMs),
    eval_count: done.outputTokens,
    eval_duration: nanos(done.timings.decodeMs),
  });
  return { chunk, final };
}

/** a deterministic unit vector seeded by the text (an emulation, not a meaningful embedding) */
function embedding(text: string, dimensions: number): number[] {
  const rng = seededRandom(hashText(text));
  const v = Array.from({ length: dimensions }, () => rng.next() * 2 - 1);
  const norm = Math.hypot(...v) || 1;
  return v.map((x) => x / norm);
}
