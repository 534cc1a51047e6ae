// One gateway request as the usage store keeps it. Durations in milliseconds; no prompt text.

export type ApiFace = 'openai' | 'anthropic' | 'ollama';

/** how the calls of a reply came about, by the repair ladder's rung names (src/repair/), and lost:
 * calls the model tried to make (verdict unknown_tool, invalid or narrated) that none came of */
export const CALL_OUTCOMES = [
  'native',
  'salvaged',
  'repaired',
  'coerced',
  'interpreted',
  'reasked',
  'lost',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** what the repair ladder made of one reply */
export interface ToolCallRecord {
  /** the ladder's verdict: calls, no_call, unknown_tool, narrated, invalid */
  verdict: string;
  /** the highest rung of the reply's calls (1-6), when it had calls */
  rung?: number;
  /** calls per outcome; missing ones are 0 */
  counts: Partial<Record<CallOutcome, number>>;
}

export interface UsageRecord {
  /** ms since the Unix epoch, when the request arrived */
  timeMs: number;
  requestId: string;
  api: ApiFace;
  /** public name the client asked for */
  alias?: string;
  /** fleet model that answered (or was last tried) */
  model?: string;
  server?: string;
  /** true when a local server (not a cloud API) answered */
  local: boolean;
  agent?: string;
  /** name of the gateway key, never the key */
  keyName?: string;
  inputTokens: number;
  outputTokens: number;
  queueMs: number;
  loadMs: number;
  prefillMs: number;
  decodeMs: number;
  /** wall time from arrival to the last byte */
  totalMs: number;
  /** wall time from arrival to the first content event; absent when none came */
  ttftMs?: number;
  /** backend calls made, retries and fallbacks included */
  attempts: number;
  fallbackUsed: boolean;
  /** HTTP status sent to the client */
  status: number;
  errorCode?: string;
  /** the repair ladder ran on the reply (tools offered, repair not off) */
  toolCalls?: ToolCallRecord;
}

export const USAGE_GROUPS = ['agent', 'model', 'key', 'alias'] as const;
export type UsageGroup = (typeof USAGE_GROUPS)[number];

/** Totals of one group (or of everything when `key` is undefined). */
export interface UsageTotals {
  key: string;
  requests: number;
  errors: number;
  fallbacks: number;
  inputTokens: number;
  outputTokens: number;
  localInputTokens: number;
  localOutputTokens: number;
  /** load + prefill + decode of requests served locally, ms */
  localGpuMs: number;
  queueMs: number;
  /** replies the repair ladder looked at */
  toolReplies: number;
  /** calls per outcome */
  calls: Record<CallOutcome, number>;
}

/** Totals of one group on one day (UTC, YYYY-MM-DD). */
export interface DailyUsageTotals extends UsageTotals {
  day: string;
}
