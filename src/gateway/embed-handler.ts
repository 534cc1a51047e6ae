// POST /v1/embeddings and /api/embed: auth -> body -> alias chain -> per model, a lease from the
// scheduler (an embedding model shares the servers' memory and slots like any other) -> the
// server's /api/embed -> the lease released with the tokens read -> usage row -> the face's answer.
// A model that cannot embed (a cloud model here) or whose servers are down is skipped with the
// reason; a failure before the answer moves on to the next model of the chain.
import type { ModelConfig } from '../config/index.ts';
import { AppError, RETRYABLE_CODES, toAppError } from '../core/errors/index.ts';
import { publicNameOf, resolveChain } from './alias-chain.ts';
import { errorResponse, type ApiFace } from './api-face.ts';
import { assertMayUse, presentedKey } from './authenticator.ts';
import { isLocalServer } from './chat-backend.ts';
import { parseEmbed, renderEmbed, type EmbedAnswer, type EmbedCall } from './embed-faces.ts';
import { newSummary } from './execution-summary.ts';
import type { GatewayServices } from './gateway-services.ts';
import { headerReader } from './node-request.ts';
import { readJsonBody } from './read-json-body.ts';
import { recordRequest, type RequestEnd } from './usage-row.ts';

export async function handleEmbed(s: GatewayServices, face: ApiFace, raw: Request): Promise<Response> {
  const end: RequestEnd = {
    startedAt: performance.now(),
    face,
    requestId: s.ids('req'),
    arrivedAt: s.clock.now(),
    summary: newSummary(),
    status: 200,
  };
  try {
    const principal = await s.auth.authenticate(presentedKey(headerReader(raw, undefined)));
    end.keyName = principal.keyName;
    const call = parseEmbed(face, await readJsonBody(raw, s.fleet.gateway.bodyLimitBytes));
    call.model = publicNameOf(s.fleet, call.model);
    assertMayUse(principal, call.model);
    const answer = await embedAlongChain(s, end, call, resolveChain(s.fleet, call.model), raw.signal);
    // the row is in the store before the client has the answer
    await recordRequest(s, end);
    return Response.json(renderEmbed(face, call, answer), { headers: { 'x-request-id': end.requestId } });
  } catch (e) {
    const err = raw.signal.aborted ? new AppError('cancelled', 'the client went away') : toAppError(e);
    end.summary.errorCode ??= err.code;
    end.status = err.status;
    await recordRequest(s, end);
    return errorResponse(face, err, end.requestId);
  }
}

async function embedAlongChain(
  s: GatewayServices,
  end: RequestEnd,
  call: EmbedCall,
  chain: readonly ModelConfig[],
  signal: AbortSignal,
): Promise<EmbedAnswer> {
  const { summary } = end;
  const why: string[] = [];
  let last: AppError | undefined;
  for (const model of chain) {
    const skip = skipReason(s, model);
    if (skip) {
      summary.trail.push({ model: model.name, outcome: 'skipped', reason: skip });
      why.push(`${model.name}: ${skip}`);
      continue;
    }
    if (model !== chain[0]) summary.fallbackUsed = true;
    try {
      return await embedOn(s, end, call, model, signal);
    } catch (e) {
      const err = toAppError(e);
      summary.trail.push({ model: model.name, outcome: 'failed', reason: err.message, code: err.code });
      why.push(`${model.name}: ${err.message}`);
      last = err;
      if (err.code === 'cancelled' || !(RETRYABLE_CODES.has(err.code) || err.code === 'model_not_found'))
        throw err;
    }
  }
  throw new AppError(last?.code ?? 'upstream_unavailable', why.join('; ') || 'the alias has no models', {
    ...(last?.retryAfterSeconds !== undefined ? { retryAfterSeconds: last.retryAfterSeconds } : {}),
  });
}

/** why `model` cannot embed now, or undefined */
function skipReason(s: GatewayServices, model: ModelConfig): string | undefined {
  const local = model.servers
    .map((n) => s.fleet.servers.find((x) => x.name === n))
    .filter((x) => x !== undefined && isLocalServer(x));
  if (local.length === 0) return 'embeddings are served by Ollama servers only, and none holds this model';
  return undefined;
}

async function embedOn(
  s: GatewayServices,
  end: RequestEnd,
  call: EmbedCall,
  model: ModelConfig,
  signal: AbortSignal,
): Promise<EmbedAnswer> {
  const { summary } = end;
  summary.attempts++;
  summary.model = model.name;
  const promptTokens = call.input.reduce((n, t) => n + Math.ceil(t.length / 4), 0);
  const lease = await s.scheduler.submit({
    requestId: `${end.requestId}-${summary.attempts}`,
    model: model.name,
    promptTokens,
    maxOutputTokens: 0,
    signal,
  });
  try {
    const server = s.fleet.servers.find((x) => x.name === lease.server)!;
    const backend = s.backends.backendFor(server, model);
    if (!backend?.embed) throw new AppError('upstream_unavailable', `server ${server.name} cannot embed`);
    const r = await backend.embed(
      {
        input: call.input,
        ...(call.dimensions !== undefined ? { dimensions: call.dimensions } : {}),
        ...(call.truncate !== undefined ? { truncate: call.truncate } : {}),
      },
      { signal },
    );
    summary.server = server.name;
    summary.local = true;
    summary.queuedMs = lease.queuedMs;
    summary.loadMs = lease.loadMs;
    summary.usage = { inputTokens: r.inputTokens, outputTokens: 0 };
    summary.trail.push({ model: model.name, server: server.name, outcome: 'ok' });
    lease.release({ ok: true, usage: summary.usage });
    return r;
  } catch (e) {
    lease.release({ ok: false, cancelled: signal.aborted });
    throw e;
  }
}
