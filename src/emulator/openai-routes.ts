// Ollama's OpenAI compatibility layer: POST /v1/chat/completions (JSON or SSE) and GET /v1/models.
// Errors use OpenAI's envelope here, as Ollama's layer does.
import type { Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ModelConfig } from '../config/schema.ts';
import { toAppError } from '../core/errors/index.ts';
import { OpenAIChatRequestSchema, type OpenAIMessage } from '../protocol/openai/index.ts';
import { toOpenAIError } from '../translate/openai/openai-error.ts';
import { hangUpOf, modelOf, parseBody, readJson, type EmulatorContext } from './emulator-context.ts';
import { generationStream, STREAMED } from './generation-stream.ts';
import { startGeneration, type Finished, type Generation, type PromptMessage } from './generation.ts';
import { tagOf } from './info-routes.ts';
import { agentOf, parametersOf } from './request-identity.ts';
import type { ResponderToolCall } from './responders/responder.ts';
import { formatSSE, sseJson } from '../lib/sse.ts';
import { openAIUsage } from '../translate/openai/openai-stream-encoder.ts';

export function openaiRoutes(app: Hono, ctx: EmulatorContext, served: readonly ModelConfig[]): void {
  app.get('/v1/models', (c) =>
    c.json({
      object: 'list',
      data: served.map((m) => ({ id: tagOf(m.name), object: 'model', created: 0, owned_by: 'library' })),
    }),
  );
  app.post('/v1/chat/completions', async (c) => {
    try {
      return await chatCompletions(c, ctx);
    } catch (e) {
      const { status, body, headers } = toOpenAIError(toAppError(e));
      return c.json(body, status as ContentfulStatusCode, headers);
    }
  });
}

async function chatCompletions(c: Context, ctx: EmulatorContext): Promise<Response> {
  const req = parseBody(OpenAIChatRequestSchema, await readJson(c));
  const model = modelOf(ctx, req.model);
  const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? undefined;
  const rf = req.response_format;
  const format =
    rf?.type === 'json_object'
      ? 'json'
      : rf?.type === 'json_schema'
        ? (rf.json_schema.schema ?? 'json')
        : undefined;
  const gen = await startGeneration(ctx, {
    model,
    messages: req.messages.map(promptMessageOf),
    tools: (req.tools ?? []).map((t) => t.function.name),
    toolParameters: parametersOf((req.tools ?? []).map((t) => t.function)),
    ...agentOf(c),
    ...(req.tools?.length ? { toolsText: JSON.stringify(req.tools) } : {}),
    ...(maxTokens !== undefined ? { numPredict: maxTokens } : {}),
    ...(req.stop ? { stop: typeof req.stop === 'string' ? [req.stop] : req.stop } : {}),
    ...(format !== undefined ? { format } : {}),
    signal: c.req.raw.signal,
  });
  const id = `chatcmpl-${gen.id}`;
  const created = Math.floor(ctx.clock.now() / 1000);
  const head = { id, created, model: req.model, system_fingerprint: 'fp_ollama' };
  const finishReason = gen.toolCalls.length > 0 ? 'tool_calls' : gen.doneReason;
  if (!req.stream) {
    const done = await gen.ticket.finished;
    const message: Record<string, unknown> = { role: 'assistant', content: gen.tokens.join('') };
    if (gen.toolCalls.length > 0) message.tool_calls = openAIToolCalls(gen, gen.toolCalls);
    return c.json({
      ...head,
      object: 'chat.completion',
      choices: [{ index: 0, message, finish_reason: finishReason }],
      usage: usageOf(done),
    });
  }
  const chunk = (delta: Record<string, unknown>, finish: string | null): string =>
    sse({
      ...head,
      object: 'chat.completion.chunk',
      choices: [{ index: 0, delta: { role: 'assistant', ...delta }, finish_reason: finish }],
    });
  const body = await generationStream(
    ctx,
    gen,
    {
      token: (text) => chunk({ content: text }, null),
      toolCalls: (calls) => chunk({ content: '', tool_calls: openAIToolCalls(gen, calls) }, null),
      final: (done) =>
        chunk({ content: '' }, finishReason) +
        (req.stream_options?.include_usage
          ? sse({ ...head, object: 'chat.completion.chunk', choices: [], usage: usageOf(done) })
          : '') +
        formatSSE({ data: '[DONE]' }),
    },
    c.req.raw.signal,
    hangUpOf(c),
  );
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...STREAMED },
  });
}

function promptMessageOf(m: OpenAIMessage): PromptMessage {
  const content = m.content ?? '';
  const text =
    typeof content === 'string' ? content : content.map((p) => (p.type === 'text' ? p.text : '')).join('');
  const role = m.role === 'developer' ? 'system' : m.role;
  if (m.role !== 'assistant' || !m.tool_calls?.length) return { role, content: text };
  return {
    role,
    content: text,
    toolCalls: m.tool_calls.map((t) => ({
      name: t.function.name,
      arguments: parseArguments(t.function.arguments),
    })),
  };
}

function parseArguments(text: string): Record<string, unknown> {
  try {
    const v = JSON.parse(text) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : { value: v };
  } catch {
    return { text };
  }
}

function openAIToolCalls(gen: Generation, calls: ResponderToolCall[]) {
  return calls.map((call, index) => ({
    id: `call_${gen.id}_${index}`,
    index,
    type: 'function',
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  }));
}

function usageOf(done: Finished) {
  return openAIUsage({ inputTokens: done.promptTokens + done.cachedTokens, outputTokens: done.outputTokens });
}

const sse = (value: unknown): string => formatSSE(sseJson(value));
