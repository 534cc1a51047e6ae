// Where the usage store's rows are written. A store on disk writes on a thread of its own
// (usage-writer-thread.ts), so the commits and SQLite's checkpoint fsyncs never block the gateway's
// event loop; an in-memory store (tests, the demo) has no file to share and writes inline.
// committed() resolves once every row written so far is committed: the gateway waits for it before
// a response's last bytes, so an answer its client got is in the store even if the process is
// killed right after (a commit in WAL mode is in the file once it returns; synchronous = NORMAL
// only risks it on a power cut). To the thread, rows go as a group commit: one batch in flight at a
// time, and the rows that come while it commits go together in the next one, so a busy gateway
// sends a message per commit, not per request, and a quiet one waits one commit, not a window.
// flush() returns once every row recorded so far is committed, so a read right after sees them.
import { extname } from 'node:path';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../core/errors/index.ts';
import {
  CLOSED,
  DONE_SEQ,
  type WriterData,
  type WriterMessage,
  type WriterReply,
} from './usage-writer-thread.ts';

export type SqlValue = string | number | null;

export interface UsageWriter {
  /** queues a row, committed with the others of its batch */
  write(row: SqlValue[]): void;
  /** resolves once every row written so far is committed (or reported lost through onError) */
  committed(): Promise<void>;
  /** commits what is queued and waits until every row so far is committed */
  flush(): void;
  /** flushes and ends the writer (the thread's connection is closed when it returns) */
  close(): void;
}

/** ms a flush waits for the writer thread before it reports the thread as stuck */
const FLUSH_TIMEOUT_MS = 10_000;

/** `insert` writes on the main thread, for `db` in memory: the rows of one event-loop turn together */
export function inlineUsageWriter(
  db: DatabaseSync,
  insert: StatementSync,
  onError: (e: Error) => void,
): UsageWriter {
  let pending: SqlValue[][] = [];
  let waiters: Array<() => void> = [];
  const now = (): void => {
    const rows = pending;
    const done = waiters;
    pending = [];
    waiters = [];
    if (rows.length > 0) {
      db.exec('BEGIN');
      try {
        for (const r of rows) insert.run(...r);
        db.exec('COMMIT');
      } catch (e) {
        db.exec('ROLLBACK');
        // a failed write (disk full) must not crash the gateway that is answering
        onError(e as Error);
      }
    }
    for (const w of done) w();
  };
  return {
    write(row) {
      pending.push(row);
      if (pending.length === 1) setImmediate(now);
    },
    committed: () =>
      pending.length === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)),
    flush: now,
    close: now,
  };
}

/** writes with `insert` (SQL) on a thread of its own, to the database file at `path` */
export function threadUsageWriter(path: string, insert: string, onError: (e: Error) => void): UsageWriter {
  const progress = new Int32Array(new SharedArrayBuffer(8));
  let worker: Worker | undefined;
  /** the seq of the last batch sent, and of the last one the thread reported done */
  let sent = 0;
  let done = 0;
  let pending: SqlValue[][] = [];
  let scheduled = false;
  /** resolved once batch `seq` is done; in ascending seq */
  const waiters: Array<{ seq: number; resolve: () => void }> = [];
  let stuck: ReturnType<typeof setTimeout> | undefined;
  const settle = (seq: number): void => {
    done = Math.max(done, seq);
    while (waiters.length > 0 && waiters[0]!.seq <= done) waiters.shift()!.resolve();
    if (done >= sent) clearTimeout(stuck);
    // the rows that came while the thread committed
    if (done >= sent && pending.length > 0 && !scheduled) send();
  };
  const start = (): Worker => {
    const data: WriterData = { path, insert, progress };
    const w = new Worker(threadFile(), { workerData: { usageWriter: data } });
    // the gateway's shutdown closes the store; an idle writer must not keep a CLI process alive
    w.unref();
    w.on('message', (m: WriterReply) => {
      if ('failed' in m) onError(new Error(`${m.rows} usage rows not written: ${m.failed}`));
      else settle(m.done);
    });
    w.on('error', (e: Error) => onError(e));
    w.on('exit', () => {
      if (worker !== w) return; // closed by close()
      // it died: what it had not committed is lost; the next rows start a new thread
      const lost = sent - Atomics.load(progress, DONE_SEQ);
      if (lost > 0) onError(new Error(`the usage writer thread stopped; ${lost} batches of rows lost`));
      Atomics.store(progress, DONE_SEQ, sent);
      worker = undefined;
      settle(sent);
    });
    return w;
  };
  function send(): void {
    scheduled = false;
    if (pending.length === 0) return;
    const rows = pending;
    pending = [];
    worker ??= start();
    worker.postMessage({ seq: ++sent, rows } satisfies WriterMessage);
    clearTimeout(stuck);
    // a thread that never answers must not hold the responses waiting for it
    stuck = setTimeout(() => {
      onError(new Error(`the usage writer thread did not commit within ${FLUSH_TIMEOUT_MS / 1000} s`));
      settle(sent);
    }, FLUSH_TIMEOUT_MS);
    stuck.unref();
  }
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
    send();
    waitFor(DONE_SEQ, sent, 'commit');
    settle(Atomics.load(progress, DONE_SEQ));
  };
  return {
    write(row) {
      pending.push(row);
      // the rows of this event-loop turn go together, unless a batch is in flight: then with the
      // others that come before it is done
      if (!scheduled && done >= sent) {
        scheduled = true;
        setImmediate(send);
      }
    },
    committed() {
      if (pending.length === 0 && done >= sent) return Promise.resolve();
      const seq = pending.length > 0 ? sent + 1 : sent;
      return new Promise<void>((resolve) => waiters.push({ seq, resolve }));
    },
    flush,
    close() {
      flush();
      settle(sent);
      if (worker === undefined) return;
      worker.postMessage({ close: true } satisfies WriterMessage);
      waitFor(CLOSED, 1, 'close the database');
      worker = undefined;
    },
  };
}

/** the thread's module beside this one: .ts when run from the sources, .js when built */
function threadFile(): URL {
  const ext = extname(fileURLToPath(import.meta.url));
  return new URL(`./usage-writer-thread${ext}`, import.meta.url);
}
