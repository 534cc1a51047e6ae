// The chat path shared by the OpenAI, Anthropic and Ollama faces: auth -> body -> core request ->
// alias chain -> executor -> folded or streamed answer -> usage row. Errors before the stream
// opened get the face's envelope and status; after it, the face's in-stream error.
import type { ModelConfig } from '../config/index.ts';
import type { ChatEvent, ChatRequest } from '../core/chat.ts';
import { AppError, toAppError } from '../core/errors/index.ts';
import type { QueueInfo } from '../scheduler/scheduler-port.ts';
import { resolveChain } from './alias-chain.ts';
import { errorResponse } from './api-face.ts';
import { coalescingWriter } from './coalescing-writer.ts';
import { assertMayUse, presentedKey, type Principal } from './authenticator.ts';
import { newSummary } from './execution-summary.ts';
import type { FaceAdapter, StreamIds } from './face-adapter.ts';
import { foldEvents } from './fold-events.ts';
import type { GatewayServices } from './gateway-services.ts';
import { readJsonBody } from './read-json-body.ts';
import { metaFromHeaders } from './request-meta.ts';
import { recordRequest, type RequestEnd } from './usage-row.ts';

type Queued = QueueInfo & { model: string };

// fixed abort reasons: abort() without one builds a DOMException with a stack trace each time
const SETTLED = new Error('settled');
const CLIENT_GONE = new AppError('cancelled', 'the client went away');

/** the client's connection where the server exposes it (@hono/node-server's c.env.outgoing.socket) */
export interface ClientSocket {
  cork(): void;
  uncork(): void;
}

export async function handleChat(
  s: GatewayServices,
  adapter: FaceAdapter,
  raw: Request,
  socket?: ClientSocket,
): Promise<Response> {
  const end: RequestEnd = {
    startedAt: performance.now(),
    face: adapter.face,
    requestId: s.ids('req'),
    arrivedAt: s.clock.now(),
    summary: newSummary(),
    status: 200,
  };
  let admitted: Admitted;
  try {
    admitted = await admit(s, adapter, raw, end);
  } catch (e) {
    return fail(s, adapter, end, toAppError(e));
  }
  return respond(s, adapter, raw, end, admitted, socket);
}

interface Admitted {
  request: ChatRequest;
  body: unknown;
  chain: ModelConfig[];
}

/** auth, body, translation, alias check: everything before a model is involved */
async function admit(
  s: GatewayServices,
  adapter: FaceAdapter,
  raw: Request,
  end: RequestEnd,
): Promise<Admitted> {
  const header = (n: string): string | undefined => raw.headers.get(n) ?? undefined;
  const principal: Principal = await s.auth.authenticate(presentedKey(header));
  end.keyName = principal.keyName;
  const body = await readJsonBody(raw, s.fleet.gateway.bodyLimitBytes);
  const request = adapter.toCore(body, metaFromHeaders(header, end.requestId, principal.keyName));
  request.meta.alias = request.model;
  end.request = request;
  assertMayUse(principal, request.model);
  return { request, body, chain: resolveChain(s.fleet, request.model) };
}

async function respond(
  s: GatewayServices,
  adapter: FaceAdapter,
  raw: Request,
  end: RequestEnd,
  { request, body, chain }: Admitted,
  socket: ClientSocket | undefined,
): Promise<Response> {
  const ids: StreamIds = {
    id: adapter.face === 'anthropic' ? s.ids('msg') : s.ids('chatcmpl'),
    model: request.model,
    created: Math.floor(s.clock.now() / 1000),
    inputTokens: s.estimateTokens(request),
  };
  const abort = new AbortController();
  const onClientAbort = (): void => abort.abort(CLIENT_GONE);
  raw.signal.addEventListener('abort', onClientAbort, { once: true });
  const done = (): void => raw.signal.removeEventListener('abort', onClientAbort);
  let queued: Queued | undefined;
  const execution = s.executor.execute(request, chain, {
    promptTokens: ids.inputTokens,
    signal: abort.signal,
    summary: end.summary,
    arrivedAt: end.arrivedAt,
    onQueued: (q) => (queued = q),
  });
  execution.catch(() => {}); // handled below; never an unhandled rejection
  const first = request.stream ? await settledWithin(s, execution, s.keepAliveMs) : 'rejected';
  if (first === 'rejected') {
    try {
      const result = await foldEvents(await execution, request.model);
      recordRequest(s, end);
      return Response.json(adapter.render(result, ids), { headers: resultHeaders(end, queued) });
    } catch (e) {
      return fail(s, adapter, end, toAppError(e));
    } finally {
      done();
    }
  }
  const stream = streamBody(s, adapter, ids, body, execution, first === 'resolved', end, abort, done);
  const headers = {
    'content-type': adapter.contentType,
    'cache-control': 'no-cache',
    ...resultHeaders(end, queued),
  };
  if (socket && first === 'resolved') sendHeadersWithFirstChunk(socket);
  return new Response(stream, { headers });
}

/**
 * @hono/node-server writes a streamed response's headers on their own (flushHeaders), then the
 * first chunk some microtasks later: two socket writes, two packets for the client to wait on.
 * When the first content is here already, its chunk is written before the current microtasks end;
 * the socket corked until then sends headers and first content in one write.
 */
function sendHeadersWithFirstChunk(socket: ClientSocket): void {
  socket.cork();
  process.nextTick(() => socket.uncork());
}

function fail(s: GatewayServices, adapter: FaceAdapter, end: RequestEnd, error: AppError): Response {
  end.summary.errorCode ??= error.code;
  end.status = error.status;
  recordRequest(s, end);
  if (error.status >= 500 && error.code !== 'cancelled')
    s.logger.warn('request failed', { requestId: end.requestId, code: error.code, message: error.message });
  return errorResponse(adapter.face, error, end.requestId);
}

function resultHeaders(end: RequestEnd, queued: Queued | undefined): Record<string, string> {
  const h: Record<string, string> = { 'x-request-id': end.requestId };
  if (end.summary.model) h['x-orchestra-model'] = end.summary.model;
  if (end.summary.server) h['x-orchestra-server'] = end.summary.server;
  if (queued) {
    h['x-orchestra-queue-position'] = String(queued.position);
    h['x-orchestra-eta-ms'] = String(Math.round(queued.etaMs));
  }
  return h;
}

/** 'resolved' / 'rejected' when `p` settles within `ms` of the clock, else 'pending' */
async function settledWithin(
  s: GatewayServices,
  p: Promise<unknown>,
  ms: number,
): Promise<'resolved' | 'rejected' | 'pending'> {
  const stop = new AbortController();
  const outcome = p.then(
    () => 'resolved' as const,
    () => 'rejected' as const,
  );
  const timer = s.clock.sleep(ms, stop.signal).then(
    () => 'pending' as const,
    () => 'pending' as const,
  );
  const r = await Promise.race([outcome, timer]);
  stop.abort(SETTLED);
  return r;
}

function streamBody(
  s: GatewayServices,
  adapter: FaceAdapter,
  ids: StreamIds,
  body: unknown,
  execution: Promise<AsyncIterable<ChatEvent>>,
  /** the first content is here already: no keep-alive before it */
  resolved: boolean,
  end: RequestEnd,
  abort: AbortController,
  done: () => void,
): ReadableStream<Uint8Array> {
  const framer = adapter.framer(ids, body);
  const utf8 = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    start(ctrl) {
      const out = coalescingWriter((text) => {
        if (abort.signal.aborted) return;
        try {
          ctrl.enqueue(utf8.encode(text));
        } catch {
          abort.abort(CLIENT_GONE);
        }
      });
      let settled = resolved;
      execution.then(
        () => (settled = true),
        () => (settled = true),
      );
      const pump = async (): Promise<void> => {
        try {
          while (!settled) {
            out.push(framer.keepAlive());
            out.flush();
            await settledWithin(s, execution, s.keepAliveMs);
          }
          let first = true;
          for await (const e of await execution) {
            out.push(framer.encode(e));
            // the first content goes out at once: waiting for the end of the event-loop turn to
            // coalesce costs its time to first token (about 2 ms p50 at 100 busy streams)
            if (first && e.type !== 'start' && e.type !== 'waiting') {
              first = false;
              out.flush();
            }
          }
        } catch (e) {
          const err = toAppError(e);
          end.summary.errorCode ??= err.code;
          end.status = err.status;
          out.push(framer.error(err));
        } finally {
          out.flush();
          done();
          recordRequest(s, end);
          try {
            ctrl.close();
          } catch {
            // the client already went away
          }
        }
      };
      void pump();
    },
    cancel() {
      abort.abort(CLIENT_GONE);
    },
  });
}
