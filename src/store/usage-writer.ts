// Where the usage store's rows are written. A store on disk writes on a thread of its own
// (usage-writer-thread.ts), so the commits and SQLite's checkpoint fsyncs never block the gateway's
// event loop; an in-memory store (tests, the demo) has no file to share and writes inline.
// Inline, the rows of one event-loop turn go in one transaction; to the thread, the rows of a short
// window go in one message (a message per turn, about one per request at the gateway bench's load,
// was 1.4% of the gateway's CPU in a profile, and woke the thread as often). Either way flush()
// returns once every row recorded so far is committed, so a read right after sees them.
import { extname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../core/errors/index.ts';
import {
  CLOSED,
  DONE_SEQ,
  type WriterData,
  type WriterFailure,
  type WriterMessage,
} from './usage-writer-thread.ts';

export type SqlValue = string | number | null;

export interface UsageWriter {
  /** queues a row; it is committed at the end of the current event-loop turn, or of the window */
  write(row: SqlValue[]): void;
  /** commits what is queued and waits until every row so far is committed */
  flush(): void;
  /** flushes and ends the writer (the thread's connection is closed when it returns) */
  close(): void;
}

/** ms a flush waits for the writer thread before it reports the thread as stuck */
const FLUSH_TIMEOUT_MS = 10_000;

/**
 * ms during which rows go to the writer thread together. Rows not yet sent when the process dies
 * are lost, as they were before within a turn; a graceful stop flushes them (close()).
 */
const THREAD_WINDOW_MS = 100;

/** `insert` writes on the main thread, for `db` in memory */
export function inlineUsageWriter(
  db: DatabaseSync,
  insert: StatementSync,
  onError: (e: Error) => void,
): UsageWriter {
  const batch = batched(setImmediate, (rows) => {
    db.exec('BEGIN');
    try {
      for (const r of rows) insert.run(...r);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      // a failed write (disk full) must not crash the gateway that already answered
      onError(e as Error);
    }
  });
  return { write: batch.push, flush: batch.now, close: batch.now };
}

/** writes with `insert` (SQL) on a thread of its own, to the database file at `path` */
export function threadUsageWriter(path: string, insert: string, onError: (e: Error) => void): UsageWriter {
  const progress = new Int32Array(new SharedArrayBuffer(8));
  let worker: Worker | undefined;
  let sent = 0;
  const start = (): Worker => {
    const data: WriterData = { path, insert, progress };
    const w = new Worker(threadFile(), { workerData: { usageWriter: data } });
    // the gateway's shutdown closes the store; an idle writer must not keep a CLI process alive
    w.unref();
    w.on('message', (m: WriterFailure) =>
      onError(new Error(`${m.rows} usage rows not written: ${m.failed}`)),
    );
    w.on('error', (e: Error) => onError(e));
    w.on('exit', () => {
      if (worker !== w) return; // closed by close()
      // it died: what it had not committed is lost; the next rows start a new thread
      const lost = sent - Atomics.load(progress, DONE_SEQ);
      if (lost > 0) onError(new Error(`the usage writer thread stopped; ${lost} batches of rows lost`));
      Atomics.store(progress, DONE_SEQ, sent);
      worker = undefined;
    });
    return w;
  };
  const later = (f: () => void): void => void setTimeout(f, THREAD_WINDOW_MS);
  const batch = batched(later, (rows) => {
    worker ??= start();
    worker.postMessage({ seq: ++sent, rows } satisfies WriterMessage);
  });
  const waitFor = (slot: number, value: number, what: string): void => {
    const deadline = performance.now() + FLUSH_TIMEOUT_MS;
    while (Atomics.load(progress, slot) < value) {
      const left = deadline - performance.now();
      if (left <= 0)
        throw new AppError('internal', `the usage store's writer thread did not ${what} within 10 s`);
      Atomics.wait(progress, slot, Atomics.load(progress, slot), left);
    }
  };
  const flush = (): void => {
    batch.now();
    waitFor(DONE_SEQ, sent, 'commit');
  };
  return {
    write: batch.push,
    flush,
    close() {
      flush();
      if (worker === undefined) return;
      worker.postMessage({ close: true } satisfies WriterMessage);
      waitFor(CLOSED, 1, 'close the database');
      worker = undefined;
    },
  };
}

/** rows pushed until `later` calls back, handed to `write` together then (or now) */
function batched(
  later: (f: () => void) => void,
  write: (rows: SqlValue[][]) => void,
): {
  push: (row: SqlValue[]) => void;
  now: () => void;
} {
  let pending: SqlValue[][] = [];
  const now = (): void => {
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    write(rows);
  };
  return {
    push(row) {
      pending.push(row);
      if (pending.length === 1) later(now);
    },
    now,
  };
}

/** the thread's module beside this one: .ts when run from the sources, .js when built */
function threadFile(): URL {
  const ext = extname(fileURLToPath(import.meta.url));
  return new URL(`./usage-writer-thread${ext}`, import.meta.url);
}
