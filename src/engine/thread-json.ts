// A thread saved as JSON, checked when it is loaded: a file edited by hand or written by another
// version is refused with the field that is wrong, never loaded half-way.
import { z } from 'zod';
import { AppError } from '../core/errors/index.ts';

const ToolCall = z.strictObject({ id: z.string(), name: z.string(), input: z.unknown() });

const Message = z.strictObject({
  role: z.enum(['user', 'assistant', 'tool']),
  content: z.string(),
  pinned: z.boolean().optional(),
  from: z.string().optional(),
  toolCalls: z.array(ToolCall).optional(),
  toolCallId: z.string().optional(),
  toolName: z.string().optional(),
});

const ThreadJSONSchema = z.strictObject({
  version: z.literal(1),
  name: z.string().min(1),
  alias: z.string().min(1),
  contextWindow: z.number().int().positive(),
  system: z.string(),
  messages: z.array(Message),
  estimator: z.strictObject({ ratio: z.number().positive(), observations: z.number().int().nonnegative() }),
});

/** a thread as saved by Thread.toJSON */
export type ThreadJSON = z.infer<typeof ThreadJSONSchema>;

export function parseThreadJSON(json: unknown): ThreadJSON {
  const version = (json as { version?: unknown } | null)?.version;
  if (version !== 1)
    throw new AppError('bad_request', `thread JSON: expected version 1, found ${JSON.stringify(version)}`);
  const r = ThreadJSONSchema.safeParse(json);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path = issue.path.join('.') || '(root)';
  throw new AppError('bad_request', `thread JSON: ${path}: ${issue.message}`, { path });
}
