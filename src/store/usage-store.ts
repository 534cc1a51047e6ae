// The usage store: node:sqlite (no native addon), one row per gateway request, and the grouped
// totals `orchestra usage` prints.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AppError } from '../core/errors/index.ts';
import { migrate } from './migrations.ts';
import {
  CALL_OUTCOMES,
  type DailyUsageTotals,
  type ToolCallRecord,
  type UsageGroup,
  type UsageRecord,
  type UsageTotals,
} from './usage-record.ts';
import { inlineUsageWriter, threadUsageWriter, type SqlValue, type UsageWriter } from './usage-writer.ts';

const GROUP_COLUMN: Record<UsageGroup, string> = {
  agent: 'agent',
  model: 'model',
  key: 'key_name',
  alias: 'alias',
};

const CALL_COLUMNS = CALL_OUTCOMES.map((o) => `calls_${o}`);

const INSERT = `INSERT INTO requests (time_ms, request_id, api, alias, model, server, local, agent,
  key_name, input_tokens, output_tokens, queue_ms, load_ms, prefill_ms, decode_ms, total_ms, attempts,
  fallback_used, status, error_code, tool_verdict, tool_rung, ${CALL_COLUMNS.join(', ')}, ttft_ms)
  VALUES (${Array(23 + CALL_COLUMNS.length)
    .fill('?')
    .join(', ')})`;

export interface UsageStore {
  /** queues the row; it is written in the next batch, off the main thread for a store on disk (a
   * read waits for it) */
  record(row: UsageRecord): void;
  /**
   * resolves once every row recorded so far is committed to the file, where it survives the
   * process being killed; never rejects (a failed write goes to onError)
   */
  committed(): Promise<void>;
  /** totals since `sinceMs` (epoch ms), grouped by `by` or one row for everything */
  totals(options: { sinceMs?: number; by?: UsageGroup }): UsageTotals[];
  /** totals per UTC day since `sinceMs`, grouped by `by` within each day; oldest day first */
  dailyTotals(options: { sinceMs?: number; by?: UsageGroup }): DailyUsageTotals[];
  /** rows, newest first (for tests and debugging) */
  recent(limit: number): UsageRecord[];
  close(): void;
}

/** Opens (and creates or upgrades) the store at `path`; ':memory:' for tests. */
export function openUsageStore(path: string, options: { onError?: (e: Error) => void } = {}): UsageStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL');
    // WAL with NORMAL sync: a power cut may lose the last rows, never corrupt the file; FULL would
    // fsync on every request and cost more than the rest of the gateway together
    db.exec('PRAGMA synchronous = NORMAL');
    // the writer thread's connection may hold the write lock a moment when a read comes
    db.exec('PRAGMA busy_timeout = 5000');
    migrate(db);
  } catch (e) {
    throw new AppError('config_invalid', `cannot open the usage store ${path}: ${(e as Error).message}`, {
      path,
      cause: e,
    });
  }
  const onError = options.onError ?? (() => {});
  // rows are written in batches, one transaction each (an event-loop turn's inline; on the writer
  // thread, those that came while the last batch committed): one commit per request cost more than
  // the rest of the gateway under load. Reads and close() flush first.
  const writer: UsageWriter =
    path === ':memory:'
      ? inlineUsageWriter(db, db.prepare(INSERT), onError)
      : threadUsageWriter(path, INSERT, onError);
  const flush = (): void => {
    if (db.isOpen) writer.flush();
  };
  return {
    record(r) {
      writer.write(rowValues(r));
    },
    committed: () => (db.isOpen ? writer.committed() : Promise.resolve()),
    totals({ sinceMs = 0, by }) {
      flush();
      const key = by ? `COALESCE(${GROUP_COLUMN[by]}, '(none)')` : `'all'`;
      const sql = `SELECT ${key} AS key, ${SUMS}
        FROM requests WHERE time_ms >= ? GROUP BY 1 ORDER BY requests DESC, key`;
      const rows = db.prepare(sql).all(sinceMs) as Array<Record<string, unknown>>;
      return rows.map(totalsOf);
    },
    dailyTotals({ sinceMs = 0, by }) {
      flush();
      const key = by ? `COALESCE(${GROUP_COLUMN[by]}, '(none)')` : `'all'`;
      const sql = `SELECT strftime('%Y-%m-%d', time_ms / 1000, 'unixepoch') AS day, ${key} AS key, ${SUMS}
        FROM requests WHERE time_ms >= ? GROUP BY 1, 2 ORDER BY 1, requests DESC, key`;
      const rows = db.prepare(sql).all(sinceMs) as Array<Record<string, unknown>>;
      return rows.map((r) => ({ ...totalsOf(r), day: String(r.day) }));
    },
    recent(limit) {
      flush();
      const rows = db.prepare('SELECT * FROM requests ORDER BY id DESC LIMIT ?').all(limit);
      return rows.map((r) => fromRow(r as Record<string, unknown>));
    },
    close() {
      if (!db.isOpen) return;
      writer.close();
      db.close();
    },
  };
}

const SUMS = `  COUNT(*) AS requests,
  SUM(status >= 400) AS errors, SUM(fallback_used) AS fallbacks,
  SUM(input_tokens) AS inputTokens, SUM(output_tokens) AS outputTokens,
  SUM(CASE WHEN local AND status < 400 THEN input_tokens ELSE 0 END) AS localInputTokens,
  SUM(CASE WHEN local AND status < 400 THEN output_tokens ELSE 0 END) AS localOutputTokens,
  SUM(CASE WHEN local THEN load_ms + prefill_ms + decode_ms ELSE 0 END) AS localGpuMs,
  SUM(queue_ms) AS queueMs, COUNT(tool_verdict) AS toolReplies,
  ${CALL_COLUMNS.map((c) => `SUM(${c}) AS ${c}`).join(', ')}`;

function totalsOf(r: Record<string, unknown>): UsageTotals {
  const n = (k: string): number => Number(r[k] ?? 0);
  const calls = Object.fromEntries(CALL_OUTCOMES.map((o) => [o, n(`calls_${o}`)])) as UsageTotals['calls'];
  return {
    key: String(r.key),
    requests: n('requests'),
    errors: n('errors'),
    fallbacks: n('fallbacks'),
    inputTokens: n('inputTokens'),
    outputTokens: n('outputTokens'),
    localInputTokens: n('localInputTokens'),
    localOutputTokens: n('localOutputTokens'),
    localGpuMs: n('localGpuMs'),
    queueMs: n('queueMs'),
    toolReplies: n('toolReplies'),
    calls,
  };
}

function rowValues(r: UsageRecord): SqlValue[] {
  const tc = r.toolCalls;
  return [
    r.timeMs,
    r.requestId,
    r.api,
    r.alias ?? null,
    r.model ?? null,
    r.server ?? null,
    r.local ? 1 : 0,
    r.agent ?? null,
    r.keyName ?? null,
    r.inputTokens,
    r.outputTokens,
    r.queueMs,
    r.loadMs,
    r.prefillMs,
    r.decodeMs,
    r.totalMs,
    r.attempts,
    r.fallbackUsed ? 1 : 0,
    r.status,
    r.errorCode ?? null,
    tc?.verdict ?? null,
    tc?.rung ?? null,
    ...CALL_OUTCOMES.map((o) => tc?.counts[o] ?? 0),
    r.ttftMs ?? null,
  ];
}

function fromRow(r: Record<string, unknown>): UsageRecord {
  const opt = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    timeMs: Number(r.time_ms),
    requestId: String(r.request_id),
    api: r.api as UsageRecord['api'],
    alias: opt(r.alias),
    model: opt(r.model),
    server: opt(r.server),
    local: r.local === 1,
    agent: opt(r.agent),
    keyName: opt(r.key_name),
    inputTokens: Number(r.input_tokens),
    outputTokens: Number(r.output_tokens),
    queueMs: Number(r.queue_ms),
    loadMs: Number(r.load_ms),
    prefillMs: Number(r.prefill_ms),
    decodeMs: Number(r.decode_ms),
    totalMs: Number(r.total_ms),
    attempts: Number(r.attempts),
    fallbackUsed: r.fallback_used === 1,
    status: Number(r.status),
    errorCode: opt(r.error_code),
    ttftMs: typeof r.ttft_ms === 'number' ? r.ttft_ms : undefined,
    ...(typeof r.tool_verdict === 'string' ? { toolCalls: toolCallsOf(r, r.tool_verdict) } : {}),
  };
}

function toolCallsOf(r: Record<string, unknown>, verdict: string): ToolCallRecord {
  const counts: ToolCallRecord['counts'] = {};
  for (const o of CALL_OUTCOMES) {
    const v = Number(r[`calls_${o}`] ?? 0);
    if (v > 0) counts[o] = v;
  }
  return { verdict, ...(r.tool_rung != null ? { rung: Number(r.tool_rung) } : {}), counts };
}
