// The tool effects journal: per idempotency key, what a side-effecting tool call was about to do
// (its plan, written before it runs) and what it answered (written after). A call found started
// but not finished was cut short by a crash; the engine's tools then check whether the effect was
// applied instead of applying it blindly again. Migrated per component, so it can share the run
// store's SQLite file. Plans and results are JSON the tools define (src/engine/tools/).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AppError } from '../core/errors/index.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { migrateComponent } from './component-migrations.ts';

const MIGRATIONS = [
  `CREATE TABLE tool_effects (
     key TEXT PRIMARY KEY,
     tool TEXT NOT NULL,
     input_hash TEXT NOT NULL,
     plan TEXT NOT NULL,
     result TEXT,
     started_ms INTEGER NOT NULL,
     finished_ms INTEGER
   );`,
];

export interface JournalEntry {
  key: string;
  tool: string;
  /** a digest of the call's input: one key is one call */
  inputHash: string;
  plan: unknown;
  /** undefined while the call has not finished */
  result: unknown;
}

export interface EffectJournalStore {
  get(key: string): JournalEntry | undefined;
  /** records the call as started; a key already started keeps its first record */
  started(entry: Omit<JournalEntry, 'result'>): void;
  finished(key: string, result: unknown): void;
  close(): void;
}

interface Row {
  key: string;
  tool: string;
  input_hash: string;
  plan: string;
  result: string | null;
}

export function openEffectJournal(options: {
  path?: string;
  db?: DatabaseSync;
  clock?: Clock;
}): EffectJournalStore {
  const clock = options.clock ?? systemClock;
  if ((options.db === undefined) === (options.path === undefined))
    throw new AppError('bad_request', 'effect journal: pass exactly one of `path` and `db`');
  let db = options.db;
  try {
    if (db === undefined) {
      if (options.path !== ':memory:') mkdirSync(dirname(options.path!), { recursive: true });
      db = new DatabaseSync(options.path!);
      if (options.path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
      // WAL with NORMAL: a commit survives the process being killed (it is in the WAL, handed to the
      // OS); only a power cut may lose the last ones, as it may the file writes they record
      db.exec('PRAGMA synchronous = NORMAL');
      db.exec('PRAGMA busy_timeout = 5000');
    }
    migrateComponent(db, 'tool_effects', MIGRATIONS);
  } catch (e) {
    if (options.db === undefined) db?.close();
    throw new AppError('config_invalid', `cannot open the effect journal: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const owns = options.db === undefined;
  const select = db.prepare('SELECT key, tool, input_hash, plan, result FROM tool_effects WHERE key = ?');
  const insert = db.prepare(
    `INSERT INTO tool_effects (key, tool, input_hash, plan, started_ms) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (key) DO NOTHING`,
  );
  const finish = db.prepare('UPDATE tool_effects SET result = ?, finished_ms = ? WHERE key = ?');
  const conn = db;
  return {
    get(key) {
      const row = select.get(key) as Row | undefined;
      if (!row) return undefined;
      return {
        key: row.key,
        tool: row.tool,
        inputHash: row.input_hash,
        plan: JSON.parse(row.plan) as unknown,
        result: row.result === null ? undefined : (JSON.parse(row.result) as unknown),
      };
    },
    started(entry) {
      insert.run(entry.key, entry.tool, entry.inputHash, JSON.stringify(entry.plan), clock.now());
    },
    finished(key, result) {
      const changed = finish.run(JSON.stringify(result), clock.now(), key).changes;
      if (changed === 0)
        throw new AppError('internal', `effect journal: ${key} finished without being started`);
    },
    close() {
      if (owns && conn.isOpen) conn.close();
    },
  };
}
