// The usage store's writer thread (usage-writer.ts starts it for a store on disk). It owns the
// only connection that writes, so SQLite's WAL checkpoints, and the fsyncs they make every few
// thousand rows, happen here: on the gateway's main thread they blocked every stream for 1 to 7 ms
// a few times a minute at 100 concurrent streams.
// Self-contained (node: modules only): it is loaded by path as a worker.
import { DatabaseSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';

/** what the main thread sends: a batch of rows, or the end */
export type WriterMessage = { seq: number; rows: Array<Array<string | number | null>> } | { close: true };

/** what the thread reports: a batch that could not be written (its rows are lost) */
export interface WriterFailure {
  failed: string;
  rows: number;
}

/** what the thread reports after each batch: failures first, then that batch `done` is handled */
export type WriterReply = WriterFailure | { done: number };

export interface WriterData {
  path: string;
  insert: string;
  /** [0]: the seq of the last batch handled; [1]: 1 once the connection is closed */
  progress: Int32Array;
}

/** the slots of WriterData.progress */
export const DONE_SEQ = 0;
export const CLOSED = 1;

function run(port: NonNullable<typeof parentPort>, data: WriterData): void {
  const db = new DatabaseSync(data.path);
  db.exec('PRAGMA busy_timeout = 5000');
  db.exec('PRAGMA synchronous = NORMAL');
  const insert = db.prepare(data.insert);
  port.on('message', (m: WriterMessage) => {
    if ('close' in m) {
      db.close();
      Atomics.store(data.progress, CLOSED, 1);
      Atomics.notify(data.progress, CLOSED);
      port.close();
      return;
    }
    try {
      db.exec('BEGIN');
      for (const row of m.rows) insert.run(...row);
      db.exec('COMMIT');
    } catch (e) {
      if (db.isTransaction) db.exec('ROLLBACK');
      port.postMessage({ failed: (e as Error).message, rows: m.rows.length } satisfies WriterFailure);
    }
    Atomics.store(data.progress, DONE_SEQ, m.seq);
    Atomics.notify(data.progress, DONE_SEQ);
    port.postMessage({ done: m.seq } satisfies WriterReply);
  });
}

if (parentPort !== null && (workerData as { usageWriter?: WriterData } | null)?.usageWriter)
  run(parentPort, (workerData as { usageWriter: WriterData }).usageWriter);
