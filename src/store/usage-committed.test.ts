// committed(): the promise the gateway waits for before a response's last bytes. Once it resolves
// the rows are in the file for any other connection (and so survive the process being killed).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { openUsageStore, type UsageRecord } from './index.ts';

const row = (i: number): UsageRecord => ({
  timeMs: 1000 + i,
  requestId: `r${i}`,
  api: 'openai',
  local: true,
  inputTokens: 1,
  outputTokens: 1,
  queueMs: 0,
  loadMs: 0,
  prefillMs: 0,
  decodeMs: 0,
  totalMs: 1,
  attempts: 1,
  fallbackUsed: false,
  status: 200,
});

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** rows in the file, seen by a connection of its own (no flush of the store's writer) */
function rowsInFile(path: string): number {
  const db = new DatabaseSync(path, { readOnly: true });
  try {
    return Number((db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n);
  } finally {
    db.close();
  }
}

describe('usage store: committed()', () => {
  it('resolves once every row so far is in the file, for rows sent while a batch commits too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orchestra-committed-'));
    dirs.push(dir);
    const path = join(dir, 'usage.sqlite');
    const store = openUsageStore(path);
    await store.committed(); // nothing recorded: at once
    store.record(row(0));
    const first = store.committed();
    // rows of later turns, while the first batch may be on the thread
    const later: Array<Promise<number>> = [];
    for (let i = 1; i <= 20; i++) {
      await new Promise((r) => setImmediate(r));
      store.record(row(i));
      later.push(store.committed().then(() => rowsInFile(path)));
    }
    await first;
    expect(rowsInFile(path)).toBeGreaterThanOrEqual(1);
    const seen = await Promise.all(later);
    // the i-th promise saw at least the rows recorded before it
    seen.forEach((n, i) => expect(n).toBeGreaterThanOrEqual(i + 2));
    expect(rowsInFile(path)).toBe(21);
    store.close();
  });

  it('an in-memory store resolves after its turn commits', async () => {
    const store = openUsageStore(':memory:');
    store.record(row(1));
    await store.committed();
    expect(store.recent(5)).toHaveLength(1);
    store.close();
    await store.committed(); // closed: nothing to wait for
  });
});
