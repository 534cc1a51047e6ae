// The runs' event log (DESIGN.md "Runner"): one SQLite table, one row per event, `seq` per run,
// append-only. An append is committed (WAL, synchronous=FULL on this connection) before it
// returns: a run killed right after it loses nothing it has logged. Events are few (one per
// decision, model result, tool effect), so a fsync each costs little.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { AppError } from '../core/errors/index.ts';
import { migrateComponent } from './component-migrations.ts';

const MIGRATIONS = [
  `CREATE TABLE run_events (
     run_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     at INTEGER NOT NULL,
     source TEXT NOT NULL,
     agent TEXT,
     attempt INTEGER,
     type TEXT NOT NULL,
     body TEXT NOT NULL,
     PRIMARY KEY (run_id, seq)
   ) WITHOUT ROWID;
   CREATE INDEX run_events_agent ON run_events (run_id, agent, attempt, seq);
   CREATE TABLE run_owners (run_id TEXT PRIMARY KEY, pid INTEGER NOT NULL, since INTEGER NOT NULL);`,
];

/** Who wrote an event: the runner (run-level) or the engine (one agent's attempt). */
export type EventSource = 'runner' | 'engine';

export interface StoredEvent {
  runId: string;
  seq: number;
  /** clock ms */
  at: number;
  source: EventSource;
  agent: string | null;
  attempt: number | null;
  type: string;
  /** the event itself, as appended */
  body: Record<string, unknown>;
}

export type NewEvent = Omit<StoredEvent, 'seq' | 'runId'>;

export interface RunSummaryRow {
  runId: string;
  firstAt: number;
  lastAt: number;
  events: number;
}

export interface RunStore {
  readonly path: string;
  /** appends and commits; returns the event's seq */
  append(runId: string, event: NewEvent): number;
  /** every event of a run in seq order (after `afterSeq` when given) */
  events(runId: string, afterSeq?: number): StoredEvent[];
  /** one agent attempt's events, in seq order */
  attemptEvents(runId: string, agent: string, attempt: number): StoredEvent[];
  runs(): RunSummaryRow[];
  /**
   * Marks this process as the run's executor; refuses when another live process holds it (two
   * executors of one run would apply effects twice). `isAlive` is injected for tests.
   */
  claim(runId: string, pid: number, now: number, isAlive?: (pid: number) => boolean): void;
  release(runId: string, pid: number): void;
  /** the process recorded as the run's executor, if any */
  owner(runId: string): number | undefined;
  /**
   * A number that changes when another connection (another process) has committed to the file
   * since the last call (SQLite's data_version): a cheap way to notice its appends and claims.
   */
  changeStamp(): number;
  close(): void;
}

export function openRunStore(path: string): RunStore {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  let db: DatabaseSync;
  try {
    db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = FULL');
    db.exec('PRAGMA busy_timeout = 5000');
    migrateComponent(db, 'runs', MIGRATIONS);
  } catch (e) {
    throw new AppError('config_invalid', `cannot open the run store ${path}: ${(e as Error).message}`, {
      path,
      cause: e,
    });
  }
  const insert = db.prepare(
    `INSERT INTO run_events (run_id, seq, at, source, agent, attempt, type, body)
     VALUES (?, (SELECT COALESCE(MAX(seq), 0) + 1 FROM run_events WHERE run_id = ?), ?, ?, ?, ?, ?, ?)
     RETURNING seq`,
  );
  const all = db.prepare('SELECT * FROM run_events WHERE run_id = ? AND seq > ? ORDER BY seq');
  const ofAttempt = db.prepare(
    'SELECT * FROM run_events WHERE run_id = ? AND agent = ? AND attempt = ? ORDER BY seq',
  );
  const owner = db.prepare('SELECT pid FROM run_owners WHERE run_id = ?');
  const dataVersion = db.prepare('PRAGMA data_version');
  return {
    path,
    append(runId, e) {
      const row = insert.get(
        runId,
        runId,
        e.at,
        e.source,
        e.agent,
        e.attempt,
        e.type,
        JSON.stringify(e.body),
      ) as { seq: number };
      return row.seq;
    },
    events: (runId, afterSeq = 0) => rowsOf(all, runId, afterSeq),
    attemptEvents: (runId, agent, attempt) => rowsOf(ofAttempt, runId, agent, attempt),
    runs() {
      const rows = db
        .prepare(
          `SELECT run_id AS runId, MIN(at) AS firstAt, MAX(at) AS lastAt, COUNT(*) AS events
           FROM run_events GROUP BY run_id ORDER BY firstAt DESC, runId`,
        )
        .all() as Record<string, unknown>[];
      return rows.map((r) => ({
        runId: r.runId as string,
        firstAt: Number(r.firstAt),
        lastAt: Number(r.lastAt),
        events: Number(r.events),
      }));
    },
    claim(runId, pid, now, isAlive = processAlive) {
      db.exec('BEGIN IMMEDIATE');
      try {
        const held = owner.get(runId) as { pid: number } | undefined;
        if (held && held.pid !== pid && isAlive(held.pid))
          throw new AppError(
            'bad_request',
            `run ${runId} is being executed by process ${held.pid}; stop it first (orchestra runs cancel ${runId})`,
          );
        db.prepare(
          'INSERT INTO run_owners (run_id, pid, since) VALUES (?, ?, ?) ON CONFLICT(run_id) DO UPDATE SET pid = excluded.pid, since = excluded.since',
        ).run(runId, pid, now);
        db.exec('COMMIT');
      } catch (e) {
        db.exec('ROLLBACK');
        throw e;
      }
    },
    owner(runId) {
      const held = owner.get(runId) as { pid: number } | undefined;
      return held ? Number(held.pid) : undefined;
    },
    changeStamp() {
      return Number((dataVersion.get() as { data_version: number }).data_version);
    },
    release(runId, pid) {
      db.prepare('DELETE FROM run_owners WHERE run_id = ? AND pid = ?').run(runId, pid);
    },
    close() {
      if (db.isOpen) db.close();
    },
  };
}

function rowsOf(stmt: StatementSync, ...params: (string | number)[]): StoredEvent[] {
  return (stmt.all(...params) as Record<string, unknown>[]).map((r) => ({
    runId: r.run_id as string,
    seq: Number(r.seq),
    at: Number(r.at),
    source: r.source as EventSource,
    agent: (r.agent as string | null) ?? null,
    attempt: r.attempt === null ? null : Number(r.attempt),
    type: r.type as string,
    body: JSON.parse(r.body as string) as Record<string, unknown>,
  }));
}

/** whether a process with this id runs (EPERM: it does, under another user) */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
