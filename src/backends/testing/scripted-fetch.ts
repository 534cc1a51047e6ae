// A fetch for tests: each call is recorded and answered by a handler, like a tiny Ollama server.
// Bodies honour the request's AbortSignal the way undici does (the body errors with the reason).

export interface RecordedCall {
  method: string;
  path: string;
  body: unknown;
  headers: Headers;
}

export type Handler = (call: RecordedCall, signal: AbortSignal | undefined) => Response | Promise<Response>;

export interface ScriptedFetch {
  fetch: typeof fetch;
  calls: RecordedCall[];
}

export function scriptedFetch(handler: Handler): ScriptedFetch {
  const calls: RecordedCall[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw abortError(request.signal);
    const text = init?.body === undefined || init.body === null ? '' : await request.text();
    const call: RecordedCall = {
      method: request.method,
      path: new URL(request.url).pathname,
      body: text === '' ? undefined : safeJson(text),
      headers: request.headers,
    };
    calls.push(call);
    return handler(call, init?.signal ?? undefined);
  };
  return { fetch: fake, calls };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

export interface NdjsonScript {
  /** lines to send, as values (JSON-encoded) or raw strings */
  lines: unknown[];
  /** cut the byte stream into chunks of this many bytes (default: one chunk per line) */
  chunkBytes?: number;
  /** after the lines: end the stream, hang until aborted, or fail like a reset connection */
  end?: 'close' | 'hang' | 'reset';
  signal?: AbortSignal | undefined;
}

/** An NDJSON streaming response as Ollama sends it. */
export function ndjsonResponse(script: NdjsonScript): Response {
  const enc = new TextEncoder();
  const text = script.lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)) + '\n');
  const chunks =
    script.chunkBytes === undefined
      ? text.map((t) => enc.encode(t))
      : cut(enc.encode(text.join('')), script.chunkBytes);
  const signal = script.signal;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const c of chunks) controller.enqueue(c);
      const end = script.end ?? 'close';
      if (end === 'close') controller.close();
      else if (end === 'reset')
        controller.error(
          new TypeError('terminated', {
            cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
          }),
        );
      else if (signal !== undefined) {
        if (signal.aborted) controller.error(abortError(signal));
        signal.addEventListener('abort', () => controller.error(abortError(signal)), { once: true });
      }
    },
  });
  return new Response(stream, { status: 200, headers: { 'content-type': 'application/x-ndjson' } });
}

function cut(bytes: Uint8Array, size: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.slice(i, i + size));
  return out;
}
