// Time to first token and the per-day totals the dashboard's savings chart reads.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { openUsageStore, SCHEMA_VERSION, type UsageRecord } from './index.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1, 23, 0);
const row = (over: Partial<UsageRecord>): UsageRecord => ({
  timeMs: T0,
  requestId: 'r',
  api: 'openai',
  alias: 'coder',
  model: 'qwen',
  server: 'mini',
  local: true,
  keyName: 'ci',
  inputTokens: 100,
  outputTokens: 10,
  queueMs: 0,
  loadMs: 0,
  prefillMs: 1,
  decodeMs: 1,
  totalMs: 5,
  attempts: 1,
  fallbackUsed: false,
  status: 200,
  ...over,
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('usage store: ttft and daily totals', () => {
  it('keeps the time to first token, and none for a request that sent no token', () => {
    const s = openUsageStore(':memory:');
    s.record(row({ requestId: 'a', ttftMs: 123.5 }));
    s.record(row({ requestId: 'b', status: 503 }));
    expect(s.recent(2).map((r) => [r.requestId, r.ttftMs])).toEqual([
      ['b', undefined],
      ['a', 123.5],
    ]);
  });

  it('sums per UTC day and key, oldest day first, local tokens of successful requests only', () => {
    const s = openUsageStore(':memory:');
    s.record(row({ requestId: '1' }));
    s.record(row({ requestId: '2', timeMs: T0 + 59 * 60_000, keyName: 'bob' }));
    s.record(row({ requestId: '3', timeMs: T0 + 61 * 60_000 })); // past midnight UTC
    s.record(row({ requestId: '4', timeMs: T0 + 61 * 60_000, status: 500 }));
    s.record(row({ requestId: '5', timeMs: T0 - 2 * DAY }));
    const days = s.dailyTotals({ sinceMs: T0 - DAY, by: 'key' });
    expect(days.map((d) => [d.day, d.key, d.requests, d.localInputTokens])).toEqual([
      ['2026-03-01', 'bob', 1, 100],
      ['2026-03-01', 'ci', 1, 100],
      ['2026-03-02', 'ci', 2, 100],
    ]);
    expect(s.dailyTotals({}).map((d) => [d.day, d.key, d.requests])).toEqual([
      ['2026-02-27', 'all', 1],
      ['2026-03-01', 'all', 2],
      ['2026-03-02', 'all', 2],
    ]);
  });

  it('adds the ttft column to a store written before it, keeping its rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'usage-v1-'));
    dirs.push(dir);
    const path = join(dir, 'u.sqlite');
    const s = openUsageStore(path);
    s.record(row({ requestId: 'old', ttftMs: 7 }));
    s.close();
    // back to the schema before ttft_ms, as an older Orchestra left it
    const db = new DatabaseSync(path);
    db.exec(`ALTER TABLE requests DROP COLUMN ttft_ms; PRAGMA user_version = ${SCHEMA_VERSION - 1}`);
    db.close();
    const again = openUsageStore(path);
    expect(again.recent(1)[0]).toMatchObject({ requestId: 'old', ttftMs: undefined });
    again.record(row({ requestId: 'new', ttftMs: 9 }));
    expect(again.recent(1)[0]).toMatchObject({ requestId: 'new', ttftMs: 9 });
    again.close();
    const check = new DatabaseSync(path);
    expect(check.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
    check.close();
  });
});
