// One row of the requests page: a usage record with what a reader needs and nothing more (no prompt
// text exists in the store; the key's name, never the key).
import type { UsageRecord } from '../store/index.ts';

export interface RequestRow {
  timeMs: number;
  requestId: string;
  api: string;
  keyName?: string;
  alias?: string;
  model?: string;
  server?: string;
  local: boolean;
  agent?: string;
  inputTokens: number;
  outputTokens: number;
  ttftMs?: number;
  totalMs: number;
  queueMs: number;
  loadMs: number;
  /** what the tool-call repair ladder made of the reply, when it ran: its verdict and the highest
   * rung of the calls (1 native, 2-6 repaired) */
  tools?: { verdict: string; rung?: number };
  attempts: number;
  fallbackUsed: boolean;
  status: number;
  errorCode?: string;
}

export function requestRow(r: UsageRecord): RequestRow {
  return {
    timeMs: r.timeMs,
    requestId: r.requestId,
    api: r.api,
    ...(r.keyName !== undefined ? { keyName: r.keyName } : {}),
    ...(r.alias !== undefined ? { alias: r.alias } : {}),
    ...(r.model !== undefined ? { model: r.model } : {}),
    ...(r.server !== undefined ? { server: r.server } : {}),
    local: r.local,
    ...(r.agent !== undefined ? { agent: r.agent } : {}),
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    ...(r.ttftMs !== undefined ? { ttftMs: Math.round(r.ttftMs) } : {}),
    totalMs: Math.round(r.totalMs),
    queueMs: Math.round(r.queueMs),
    loadMs: Math.round(r.loadMs),
    ...(r.toolCalls
      ? {
          tools: {
            verdict: r.toolCalls.verdict,
            ...(r.toolCalls.rung !== undefined ? { rung: r.toolCalls.rung } : {}),
          },
        }
      : {}),
    attempts: r.attempts,
    fallbackUsed: r.fallbackUsed,
    status: r.status,
    ...(r.errorCode !== undefined ? { errorCode: r.errorCode } : {}),
  };
}
