import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { settle } from '../lib/clock.ts';
import {
  dollarsSaved,
  openUsageStore,
  parseDurationMs,
  savingsBaseline,
  SCHEMA_VERSION,
  type UsageRecord,
} from './index.ts';

const base: UsageRecord = {
  timeMs: 1000,
  requestId: 'r1',
  api: 'openai',
  alias: 'coder',
  model: 'qwen',
  server: 'mini',
  local: true,
  agent: 'a1',
  keyName: 'ci',
  inputTokens: 100,
  outputTokens: 50,
  queueMs: 10,
  loadMs: 1000,
  prefillMs: 200,
  decodeMs: 300,
  totalMs: 1600,
  attempts: 1,
  fallbackUsed: false,
  status: 200,
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('usage store', () => {
  it('records rows and reads them back without losing fields', () => {
    const s = openUsageStore(':memory:');
    s.record(base);
    s.record({ ...base, requestId: 'r2', agent: undefined, errorCode: 'load_failed', status: 500 });
    const [r2, r1] = s.recent(10);
    expect(r1).toEqual(base);
    expect(r2).toMatchObject({ requestId: 'r2', agent: undefined, errorCode: 'load_failed' });
  });

  it('groups totals, counts only successful local tokens as local, and honours since', () => {
    const s = openUsageStore(':memory:');
    s.record(base);
    s.record({
      ...base,
      requestId: 'r2',
      agent: 'a2',
      local: false,
      server: 'anthropic',
      fallbackUsed: true,
    });
    s.record({ ...base, requestId: 'r3', status: 503, errorCode: 'overloaded' });
    s.record({ ...base, requestId: 'old', timeMs: 1 });
    const byAgent = s.totals({ sinceMs: 500, by: 'agent' });
    expect(byAgent).toEqual([
      expect.objectContaining({ key: 'a1', requests: 2, errors: 1, localInputTokens: 100, localGpuMs: 3000 }),
      expect.objectContaining({ key: 'a2', requests: 1, fallbacks: 1, localInputTokens: 0, localGpuMs: 0 }),
    ]);
    const [all] = s.totals({});
    expect(all).toMatchObject({ key: 'all', requests: 4, inputTokens: 400 });
  });

  it('keeps what the repair ladder made of a reply, and totals calls per outcome', () => {
    const s = openUsageStore(':memory:');
    const toolCalls = { verdict: 'calls', rung: 3, counts: { native: 1, repaired: 2 } };
    s.record({ ...base, toolCalls });
    s.record({ ...base, requestId: 'r2', toolCalls: { verdict: 'narrated', counts: { lost: 1 } } });
    s.record({ ...base, requestId: 'r3' });
    const [r3, r2, r1] = s.recent(3);
    expect(r1).toEqual({ ...base, toolCalls });
    expect(r2!.toolCalls).toEqual({ verdict: 'narrated', counts: { lost: 1 } });
    expect(r3!.toolCalls).toBeUndefined();
    expect(s.totals({})[0]).toMatchObject({
      toolReplies: 2,
      calls: { native: 1, salvaged: 0, repaired: 2, coerced: 0, interpreted: 0, reasked: 0, lost: 1 },
    });
  });

  it('upgrades a store of schema 1 in place, keeping its rows', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-store-'));
    dirs.push(dir);
    const file = join(dir, 'u.sqlite');
    const db = new DatabaseSync(file);
    db.exec(`CREATE TABLE requests (id INTEGER PRIMARY KEY, time_ms INTEGER NOT NULL, request_id TEXT NOT NULL,
      api TEXT NOT NULL, alias TEXT, model TEXT, server TEXT, local INTEGER NOT NULL DEFAULT 0, agent TEXT,
      key_name TEXT, input_tokens INTEGER NOT NULL DEFAULT 0, output_tokens INTEGER NOT NULL DEFAULT 0,
      queue_ms REAL NOT NULL DEFAULT 0, load_ms REAL NOT NULL DEFAULT 0, prefill_ms REAL NOT NULL DEFAULT 0,
      decode_ms REAL NOT NULL DEFAULT 0, total_ms REAL NOT NULL DEFAULT 0, attempts INTEGER NOT NULL DEFAULT 0,
      fallback_used INTEGER NOT NULL DEFAULT 0, status INTEGER NOT NULL, error_code TEXT);
      INSERT INTO requests (time_ms, request_id, api, status) VALUES (5, 'old', 'openai', 200);
      PRAGMA user_version = 1;`);
    db.close();
    const s = openUsageStore(file);
    s.record({ ...base, toolCalls: { verdict: 'calls', rung: 2, counts: { salvaged: 1 } } });
    expect(s.recent(5).map((r) => [r.requestId, r.toolCalls?.counts])).toEqual([
      ['r1', { salvaged: 1 }],
      ['old', undefined],
    ]);
    s.close();
  });

  it('migrates a file once and reopens it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-store-'));
    dirs.push(dir);
    const file = join(dir, 'sub', 'u.sqlite');
    const s = openUsageStore(file);
    s.record(base);
    s.close();
    const again = openUsageStore(file);
    expect(again.recent(5)).toHaveLength(1);
    again.close();
    const db = new DatabaseSync(file);
    expect(db.prepare('PRAGMA user_version').get()).toEqual({ user_version: SCHEMA_VERSION });
    db.close();
  });

  it('commits a file store’s rows without waiting for a read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-store-'));
    dirs.push(dir);
    const file = join(dir, 'u.sqlite');
    const s = openUsageStore(file);
    s.record(base);
    s.record({ ...base, requestId: 'r2' });
    const other = new DatabaseSync(file);
    const count = () => (other.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n;
    expect(count()).toBe(0);
    await settle(1);
    // committed by the thread while this one goes on: polled, as nothing here can await it
    // polled with room: a machine under load starts the writer thread slowly (not a speed check)
    await vi.waitFor(() => expect(count()).toBe(2), { timeout: 15_000, interval: 50 });
    other.close();
    s.close();
  });

  it('a read waits for the rows recorded before it; a batch that fails is reported and the store goes on', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-store-'));
    dirs.push(dir);
    const errors: Error[] = [];
    const s = openUsageStore(join(dir, 'u.sqlite'), { onError: (e) => errors.push(e) });
    s.record(base);
    expect(s.recent(5)).toHaveLength(1);
    // a status SQLite cannot take: the thread's transaction fails and is rolled back
    s.record({ ...base, requestId: 'bad', status: undefined as unknown as number });
    await settle(1);
    await vi.waitFor(() => expect(errors).toHaveLength(1), { timeout: 15_000, interval: 50 });
    expect(errors[0]!.message).toMatch(/^1 usage rows not written: ./);
    s.record({ ...base, requestId: 'r3' });
    expect(s.recent(5).map((r) => r.requestId)).toEqual(['r3', 'r1']);
    s.close();
  });

  it('refuses a store from a newer schema with a clear error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orch-store-'));
    dirs.push(dir);
    const file = join(dir, 'u.sqlite');
    const db = new DatabaseSync(file);
    db.exec('PRAGMA user_version = 99');
    db.close();
    expect(() => openUsageStore(file)).toThrow(/newer Orchestra/);
  });
});

describe('savings', () => {
  const models = [
    { name: 'local', price: undefined },
    { name: 'sonnet', price: { inputPerMTok: 3, outputPerMTok: 15 } },
    { name: 'haiku', price: { inputPerMTok: 1, outputPerMTok: 5 } },
  ];
  it('uses the configured baseline, else the cheapest priced model', () => {
    expect(savingsBaseline({ models, savingsBaseline: 'sonnet' } as never)?.model).toBe('sonnet');
    expect(savingsBaseline({ models } as never)?.model).toBe('haiku');
    expect(savingsBaseline({ models: [models[0]] } as never)).toBeUndefined();
  });
  it('values local tokens at the baseline price', () => {
    const p = { model: 'sonnet', inputPerMTok: 3, outputPerMTok: 15 };
    expect(dollarsSaved({ localInputTokens: 1_000_000, localOutputTokens: 100_000 }, p)).toBeCloseTo(4.5);
  });
});

describe('parseDurationMs', () => {
  it('parses units and rejects junk', () => {
    expect(parseDurationMs('24h')).toBe(86_400_000);
    expect(parseDurationMs('90s')).toBe(90_000);
    expect(parseDurationMs('1.5d')).toBe(129_600_000);
    expect(parseDurationMs('24')).toBeUndefined();
    expect(parseDurationMs('h')).toBeUndefined();
  });
});
