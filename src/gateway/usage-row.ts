// The end of every request: one usage row, and the request's metrics.
import type { ChatRequest } from '../core/chat.ts';
import type { ApiFace } from './api-face.ts';
import type { ExecutionSummary } from './execution-summary.ts';
import type { GatewayServices } from './gateway-services.ts';

export interface RequestEnd {
  face: ApiFace;
  requestId: string;
  arrivedAt: number;
  request?: ChatRequest;
  keyName?: string;
  summary: ExecutionSummary;
  status: number;
  /** performance.now() at arrival, for the gateway overhead metric */
  startedAt: number;
}

/**
 * A metric label must come from a closed set: a client's arbitrary model name would add a series
 * per request, kept in memory for ever and shown on /metrics. Unknown names count as "(unknown)".
 */
function aliasLabel(s: GatewayServices, alias: string | undefined): string {
  if (alias === undefined) return '';
  return Object.hasOwn(s.fleet.aliases, alias) || s.fleet.models.some((m) => m.name === alias)
    ? alias
    : '(unknown)';
}

/**
 * Records the request's usage row and metrics; resolves once the row is committed to the store, so
 * a caller that ends the response after it never answers a client whose row a crash could lose.
 * Never rejects: a row that cannot be written is logged.
 */
export function recordRequest(s: GatewayServices, end: RequestEnd): Promise<void> {
  const { summary, request } = end;
  const alias = request?.meta.alias ?? request?.model;
  const usage = summary.usage ?? { inputTokens: 0, outputTokens: 0 };
  s.metrics.requests.inc({ api: end.face, alias: aliasLabel(s, alias), status: String(end.status) });
  // the gateway's own time: wall time of the request minus the waits for scheduler and backend
  const ownMs = performance.now() - end.startedAt - summary.waitMs;
  s.metrics.overhead.observe({ api: end.face }, Math.max(0, ownMs) / 1000);
  if (end.status >= 400) s.metrics.errors.inc({ api: end.face, code: summary.errorCode ?? 'unknown' });
  if (summary.model && summary.usage) {
    s.metrics.tokens.inc({ model: summary.model, direction: 'input' }, usage.inputTokens);
    s.metrics.tokens.inc({ model: summary.model, direction: 'output' }, usage.outputTokens);
  }
  if (!s.store) return Promise.resolve();
  try {
    s.store.record({
      timeMs: end.arrivedAt,
      requestId: end.requestId,
      api: end.face,
      alias,
      model: summary.model,
      server: summary.server,
      local: summary.local,
      agent: request?.meta.agentId,
      keyName: end.keyName,
      inputTokens: usage.inputTokens,
      outputTokens: usage.outputTokens,
      queueMs: summary.queuedMs,
      loadMs: summary.timings?.loadMs || summary.loadMs,
      prefillMs: summary.timings?.prefillMs ?? 0,
      decodeMs: summary.timings?.decodeMs ?? 0,
      totalMs: s.clock.now() - end.arrivedAt,
      ttftMs: summary.firstTokenAt === undefined ? undefined : summary.firstTokenAt - end.arrivedAt,
      attempts: summary.attempts,
      fallbackUsed: summary.fallbackUsed,
      status: end.status,
      errorCode: summary.errorCode,
      ...(summary.toolCalls ? { toolCalls: summary.toolCalls } : {}),
    });
    return s.store.committed();
  } catch (e) {
    // losing a usage row must not fail the request that is being answered
    s.logger.error('usage row not written', { requestId: end.requestId, error: (e as Error).message });
    return Promise.resolve();
  }
}
