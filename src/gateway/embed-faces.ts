// The two embedding faces: OpenAI's POST /v1/embeddings and Ollama's POST /api/embed, parsed into
// one request and rendered from one result. A face's wire shape, no logic beyond it.
import { z } from 'zod';
import { AppError } from '../core/errors/index.ts';
import { OllamaEmbedRequestSchema } from '../protocol/ollama/index.ts';
import type { ApiFace } from './api-face.ts';

export interface EmbedCall {
  model: string;
  input: string[];
  dimensions?: number;
  truncate?: boolean;
  /** OpenAI: each vector as base64 of little-endian float32 (the openai client asks for it) */
  base64: boolean;
}

export interface EmbedAnswer {
  embeddings: number[][];
  inputTokens: number;
  totalMs: number;
  loadMs: number;
}

const OpenAIEmbedSchema = z.looseObject({
  model: z.string().min(1, 'expected a model name'),
  input: z.union([
    z.string(),
    z.array(z.string()).min(1, 'expected at least one input'),
    z.array(z.number()),
    z.array(z.array(z.number())),
  ]),
  encoding_format: z.enum(['float', 'base64']).nullish(),
  dimensions: z.number().int().positive().nullish(),
  user: z.string().nullish(),
});

function invalid(e: z.ZodError): AppError {
  const issue = e.issues[0]!;
  const path = issue.path.join('.') || 'body';
  return new AppError('bad_request', `${path}: ${issue.message}`, { path });
}

export function parseEmbed(face: ApiFace, body: unknown): EmbedCall {
  if (face === 'ollama') {
    const r = OllamaEmbedRequestSchema.safeParse(body);
    if (!r.success) throw invalid(r.error);
    const input = typeof r.data.input === 'string' ? [r.data.input] : r.data.input;
    if (input.length === 0)
      throw new AppError('bad_request', 'input: expected at least one input', { path: 'input' });
    return {
      model: r.data.model,
      input,
      ...(r.data.dimensions !== undefined ? { dimensions: r.data.dimensions } : {}),
      ...(r.data.truncate !== undefined ? { truncate: r.data.truncate } : {}),
      base64: false,
    };
  }
  const r = OpenAIEmbedSchema.safeParse(body);
  if (!r.success) throw invalid(r.error);
  const { input } = r.data;
  if (Array.isArray(input) && input.some((x) => typeof x !== 'string'))
    throw new AppError(
      'bad_request',
      'input: token arrays are not supported (Ollama embeds text); send the text as a string or an array of strings',
      { path: 'input' },
    );
  return {
    model: r.data.model,
    input: typeof input === 'string' ? [input] : (input as string[]),
    ...(r.data.dimensions != null ? { dimensions: r.data.dimensions } : {}),
    base64: r.data.encoding_format === 'base64',
  };
}

function base64Of(v: number[]): string {
  const f = new Float32Array(v);
  return Buffer.from(f.buffer, f.byteOffset, f.byteLength).toString('base64');
}

export function renderEmbed(face: ApiFace, call: EmbedCall, a: EmbedAnswer): unknown {
  if (face === 'ollama')
    return {
      model: call.model,
      embeddings: a.embeddings,
      total_duration: Math.round(a.totalMs * 1e6),
      load_duration: Math.round(a.loadMs * 1e6),
      prompt_eval_count: a.inputTokens,
    };
  return {
    object: 'list',
    data: a.embeddings.map((e, index) => ({
      object: 'embedding',
      index,
      embedding: call.base64 ? base64Of(e) : e,
    })),
    model: call.model,
    usage: { prompt_tokens: a.inputTokens, total_tokens: a.inputTokens },
  };
}
