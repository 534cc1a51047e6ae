// The chat path shared by the OpenAI, Anthropic and Ollama faces: auth -> body -> core request ->
// alias chain -> executor -> folded or streamed answer -> usage row. Errors before the stream
// opened get the face's envelope and status; after it, the face's in-stream error.
import type { ModelConfig } from '../config/index.ts';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { ChatEvent, ChatRequest } from '../core/chat.ts';
import { AppError, toAppError } from '../core/errors/index.ts';
import type { QueueInfo } from '../scheduler/scheduler-port.ts';
import { publicNameOf, resolveChain } from './alias-chain.ts';
import { errorResponse } from './api-face.ts';
import { assertMayUse, presentedKey, type Principal } from './authenticator.ts';
import { newSummary } from './execution-summary.ts';
import { headerReader, type NodeRequest } from './node-request.ts';
import type { FaceAdapter, StreamIds } from './face-adapter.ts';
import { foldEvents } from './fold-events.ts';
import type { GatewayServices } from './gateway-services.ts';
import { readJsonBody } from './read-json-body.ts';
import { nodeResponseSink, webStreamSink, type NodeResponse } from './response-sink.ts';
import { settledWithin } from './settled-within.ts';
import { streamAnswer, type StreamAnswer } from './stream-answer.ts';
import { metaFromHeaders } from './request-meta.ts';
import { streamRepair, toolCallRepairFor } from './tool-call-repair.ts';
import { transformedStream } from './transformed-stream.ts';
import { recordRequest, type RequestEnd } from './usage-row.ts';

type Queued = QueueInfo & { model: string };

// a fixed abort reason: abort() without one builds a DOMException with a stack trace each time
const CLIENT_GONE = new AppError('cancelled', 'the client went away');

export async function handleChat(
  s: GatewayServices,
  adapter: FaceAdapter,
  raw: Request,
  /** the client's node:http request and response under @hono/node-server, used directly */
  node: { incoming?: NodeRequest; outgoing?: NodeResponse } = {},
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
    admitted = await admit(s, adapter, raw, end, node.incoming);
  } catch (e) {
    return fail(s, adapter, end, toAppError(e));
  }
  return respond(s, adapter, raw, end, admitted, node.outgoing);
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
  incoming: NodeRequest | undefined,
): Promise<Admitted> {
  const header = headerReader(raw, incoming);
  const principal: Principal = await s.auth.authenticate(presentedKey(header));
  end.keyName = principal.keyName;
  const body = await readJsonBody(raw, s.fleet.gateway.bodyLimitBytes, incoming);
  const request = adapter.toCore(body, metaFromHeaders(header, end.requestId, principal.keyName));
  request.model = publicNameOf(s.fleet, request.model);
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
  outgoing: NodeResponse | undefined,
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
    wholeAnswer: !request.stream,
  });
  execution.catch(() => {}); // handled below; never an unhandled rejection
  const first = request.stream ? await settledWithin(s.clock, execution, s.keepAliveMs) : 'rejected';
  if (first === 'rejected') {
    try {
      let result = await foldEvents(await execution, request.model);
      const repair = toolCallRepairFor(s, request, end, abort.signal);
      if (repair) result = await repair.repairResult(result);
      // the row is in the store before the client has the answer
      await recordRequest(s, end);
      return Response.json(adapter.render(result, ids), { headers: resultHeaders(end, queued) });
    } catch (e) {
      return fail(s, adapter, end, toAppError(e));
    } finally {
      done();
    }
  }
  const answer: StreamAnswer = {
    s,
    framer: adapter.framer(ids, body),
    execution: request.tools?.length
      ? execution.then((events) => repaired(s, request, end, abort.signal, events))
      : execution,
    resolved: first === 'resolved',
    end,
    gone: () => abort.signal.aborted,
    done,
  };
  const headers = {
    'content-type': adapter.contentType,
    'cache-control': 'no-cache',
    ...resultHeaders(end, queued),
  };
  return sendStream(answer, headers, outgoing, () => abort.abort(CLIENT_GONE));
}

/** the committed stream through the tool-call repair, when one applies to the model that answered */
function repaired(
  s: GatewayServices,
  request: ChatRequest,
  end: RequestEnd,
  signal: AbortSignal,
  events: AsyncIterable<ChatEvent>,
): AsyncIterable<ChatEvent> {
  const repair = toolCallRepairFor(s, request, end, signal);
  return repair ? transformedStream(events, streamRepair(repair)) : events;
}

/**
 * Under @hono/node-server the answer is written straight to the client's response, and Hono is told
 * so by RESPONSE_ALREADY_SENT (a plain Response made when its module loads, before serve() swaps in
 * @hono/node-server's own Response class, whose instances it would answer with headers of their
 * own). Through app.fetch the answer is a web stream.
 */
function sendStream(
  answer: StreamAnswer,
  headers: Record<string, string>,
  outgoing: NodeResponse | undefined,
  onGone: () => void,
): Response {
  if (outgoing) {
    void streamAnswer(answer, nodeResponseSink(outgoing, headers, !answer.resolved, onGone));
    return RESPONSE_ALREADY_SENT;
  }
  const { sink, stream } = webStreamSink(onGone);
  void streamAnswer(answer, sink);
  return new Response(stream, { headers });
}

async function fail(
  s: GatewayServices,
  adapter: FaceAdapter,
  end: RequestEnd,
  error: AppError,
): Promise<Response> {
  end.summary.errorCode ??= error.code;
  end.status = error.status;
  await recordRequest(s, end);
  if (error.status >= 500 && error.code !== 'cancelled')
    s.logger.warn('request failed', { requestId: end.requestId, code: error.code, message: error.message });
  return errorResponse(adapter.face, error, end.requestId);
}

function resultHeaders(end: RequestEnd, queued: Queued | undefined): Record<string, string> {
  const h: Record<string, string> = { 'x-request-id': end.requestId };
  if (end.summary.model) h['x-orchestra-model'] = headerValue(end.summary.model);
  if (end.summary.server) h['x-orchestra-server'] = headerValue(end.summary.server);
  // a whole answer's calls are repaired before the headers go: say which rung made them, so a
  // client that only sees native calls (the engine) can still count repairs
  if (end.summary.toolCalls?.rung) h['x-orchestra-tool-call-rung'] = String(end.summary.toolCalls.rung);
  if (queued) {
    h['x-orchestra-queue-position'] = String(queued.position);
    h['x-orchestra-eta-ms'] = String(Math.round(queued.etaMs));
  }
  return h;
}

/**
 * A configured name as a header value: HTTP headers carry Latin-1 only, so a name with other
 * characters (a model named in Chinese) goes percent-encoded instead of failing the response
 */
function headerValue(name: string): string {
  return /^[\x20-\x7e\xa0-\xff]*$/.test(name) ? name : encodeURIComponent(name);
}
