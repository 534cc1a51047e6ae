// What every route of one emulated server shares, and the helpers for Ollama's error shape.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { ModelConfig, ServerConfig } from '../config/schema.ts';
import { AppError, toAppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { CoreDriver } from './core-driver.ts';
import type { Faults } from './faults.ts';
import type { OllamaCore } from './ollama-core.ts';
import type { Responder } from './responders/responder.ts';
import { formatPath } from '../translate/shared/parse-wire.ts';

export interface EmulatorContext {
  server: ServerConfig;
  core: OllamaCore;
  driver: CoreDriver;
  clock: Clock;
  ids: IdGenerator;
  responder: Responder;
  faults(): Faults;
}

/** Ollama's error body {"error": "..."} with the status Ollama uses for the error's kind */
export function ollamaError(c: Context, error: unknown): Response {
  const e = toAppError(error);
  return c.json({ error: e.message }, e.status as ContentfulStatusCode);
}

/** the request's JSON body; 400 with Ollama's wording for an empty or malformed body */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw new AppError('bad_request', 'missing request body');
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new AppError('bad_request', `invalid JSON in the request body: ${(e as Error).message}`);
  }
}

/** parses `body` with a wire schema; 400 naming each wrong field, what was expected and found */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown): z.infer<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    return `${formatPath(i.path) || 'body'}: ${i.message}`;
  });
  throw new AppError('bad_request', problems.join('; '));
}

/** the model a request names, or 404 like Ollama */
export function modelOf(ctx: EmulatorContext, name: string): ModelConfig {
  const model = ctx.core.resolve(name);
  if (!model) throw new AppError('model_not_found', `model "${name}" not found, try pulling it first`);
  return model;
}

export function isoAt(ms: number): string {
  return new Date(ms).toISOString();
}

export function nanos(ms: number): number {
  return Math.round(ms * 1e6);
}

/** on a socket: closes the connection once what was written is flushed; undefined in process */
export function hangUpOf(c: Context): (() => void) | undefined {
  const env = c.env as { outgoing?: { socket?: { end(): void } | null } } | undefined;
  const socket = env?.outgoing?.socket;
  return socket ? () => socket.end() : undefined;
}
