// HTTP plumbing shared by the cloud backends: the POST itself (network failures and aborts as
// AppErrors), Retry-After, and the SSE frames of a streamed body.
import { AppError } from '../../core/errors/index.ts';
import { createSSEParser, type SSEMessage } from '../../lib/sse.ts';

export async function postJson(
  fetchFn: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  signal: AbortSignal,
  provider: string,
): Promise<Response> {
  try {
    return await fetchFn(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
      signal,
    });
  } catch (e) {
    if (signal.aborted) throw new AppError('cancelled', `${provider}: request aborted`, { cause: e });
    throw new AppError(
      'upstream_unavailable',
      `${provider}: cannot reach ${new URL(url).host} (${(e as Error).message})`,
      {
        cause: e,
      },
    );
  }
}

export function retryAfterOf(res: Response): number | undefined {
  const v = res.headers.get('retry-after');
  if (v === null) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

export async function jsonOrUndefined(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return undefined;
  }
}

/** the SSE frames of a response body, as they arrive */
export async function* sseFrames(
  res: Response,
  signal: AbortSignal,
  provider: string,
): AsyncGenerator<SSEMessage> {
  if (!res.body) throw new AppError('upstream_error', `${provider}: empty streamed body`);
  const parser = createSSEParser();
  const decoder = new TextDecoder();
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
  try {
    for (;;) {
      let chunk: Awaited<ReturnType<typeof reader.read>>;
      try {
        chunk = await reader.read();
      } catch (e) {
        if (signal.aborted) throw new AppError('cancelled', `${provider}: request aborted`, { cause: e });
        throw new AppError('upstream_unavailable', `${provider}: the connection broke mid-stream`, {
          cause: e,
        });
      }
      if (chunk.done) break;
      yield* parser.push(decoder.decode(chunk.value, { stream: true }));
    }
    yield* parser.push(decoder.decode());
    yield* parser.end();
  } finally {
    reader.cancel().catch(() => {});
  }
}
