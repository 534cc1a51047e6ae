// Agent identity and priority from the x-orchestra-* headers (the body's metadata comes later, in
// the translators, and never overrides a header).
import type { Priority, RequestMeta } from '../core/chat.ts';
import { AppError } from '../core/errors/index.ts';

const PRIORITIES: readonly Priority[] = ['high', 'medium', 'low'];

export function metaFromHeaders(
  header: (name: string) => string | undefined,
  requestId: string,
  keyName: string | undefined,
): RequestMeta {
  const meta: RequestMeta = { requestId };
  const agent = header('x-orchestra-agent')?.trim();
  if (agent) meta.agentId = agent;
  const session = header('x-orchestra-session')?.trim();
  if (session) meta.sessionId = session;
  const priority = header('x-orchestra-priority')?.trim().toLowerCase();
  if (priority) {
    if (!PRIORITIES.includes(priority as Priority))
      throw new AppError(
        'bad_request',
        `x-orchestra-priority: expected high, medium or low, found ${JSON.stringify(priority)}`,
        {
          path: 'x-orchestra-priority',
        },
      );
    meta.priority = priority as Priority;
  }
  if (keyName !== undefined) meta.keyName = keyName;
  return meta;
}
