// Validation of what Ollama answers: an invalid body is an upstream_error naming the field, and
// an {"error": "..."} line inside a 200 stream is a failure reported mid-stream.
import type { z } from 'zod';
import { AppError } from '../core/errors/index.ts';
import type { ErrorContext } from './ollama-errors.ts';

export function validateResponse<S extends z.ZodType>(
  schema: S,
  data: unknown,
  ctx: ErrorContext,
): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue === undefined || issue.path.length === 0 ? '(body)' : issue.path.join('.');
  throw new AppError(
    'upstream_error',
    `Ollama ${ctx.endpoint} on ${ctx.baseUrl} returned an invalid response: ${field}: ${issue?.message ?? 'invalid'}`,
    { path: field },
  );
}

/** A stream chunk; Ollama reports failures after the 200 as a chunk {"error": "..."}. */
export function validateChunk<S extends z.ZodType>(schema: S, value: unknown, ctx: ErrorContext): z.infer<S> {
  // OllamaErrorSchema's shape, checked by hand: a failed safeParse builds an error with its issues,
  // and every stream's final chunk would pay for one
  const error = isObject(value) && value.done === undefined ? value.error : undefined;
  if (typeof error === 'string') {
    const message = `Ollama ${ctx.endpoint} on ${ctx.baseUrl} failed mid-stream: ${error}`;
    throw new AppError('upstream_error', message, { path: ctx.model });
  }
  return validateResponse(schema, value, ctx);
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
