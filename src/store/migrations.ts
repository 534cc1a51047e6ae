// Schema migrations of the SQLite store, applied in order and recorded in PRAGMA user_version so an
// old database file is upgraded in place and a new one is created from scratch the same way.
import type { DatabaseSync } from 'node:sqlite';

const MIGRATIONS: readonly string[] = [
  // 1: one row per gateway request. No prompt or completion text is ever stored.
  `CREATE TABLE requests (
     id INTEGER PRIMARY KEY,
     time_ms INTEGER NOT NULL,
     request_id TEXT NOT NULL,
     api TEXT NOT NULL,
     alias TEXT,
     model TEXT,
     server TEXT,
     local INTEGER NOT NULL DEFAULT 0,
     agent TEXT,
     key_name TEXT,
     input_tokens INTEGER NOT NULL DEFAULT 0,
     output_tokens INTEGER NOT NULL DEFAULT 0,
     queue_ms REAL NOT NULL DEFAULT 0,
     load_ms REAL NOT NULL DEFAULT 0,
     prefill_ms REAL NOT NULL DEFAULT 0,
     decode_ms REAL NOT NULL DEFAULT 0,
     total_ms REAL NOT NULL DEFAULT 0,
     attempts INTEGER NOT NULL DEFAULT 0,
     fallback_used INTEGER NOT NULL DEFAULT 0,
     status INTEGER NOT NULL,
     error_code TEXT
   );
   CREATE INDEX requests_time ON requests(time_ms);`,
  // 2: what the tool-call repair ladder made of the reply (NULL verdict: the ladder did not run),
  // and how many calls each rung produced; lost counts calls the model tried and none came of
  `ALTER TABLE requests ADD COLUMN tool_verdict TEXT;
   ALTER TABLE requests ADD COLUMN tool_rung INTEGER;
   ALTER TABLE requests ADD COLUMN calls_native INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE requests ADD COLUMN calls_salvaged INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE requests ADD COLUMN calls_repaired INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE requests ADD COLUMN calls_coerced INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE requests ADD COLUMN calls_interpreted INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE requests ADD COLUMN calls_reasked INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE requests ADD COLUMN calls_lost INTEGER NOT NULL DEFAULT 0;`,
  // 3: time to first token (NULL for requests that sent no token, and rows written before it)
  `ALTER TABLE requests ADD COLUMN ttft_ms REAL;`,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies the migrations the database has not seen yet, each in its own transaction. */
export function migrate(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number } | undefined;
  const current = row?.user_version ?? 0;
  if (current > MIGRATIONS.length)
    throw new Error(
      `the store was written by a newer Orchestra (schema ${current}, this one knows ${MIGRATIONS.length})`,
    );
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.exec('BEGIN');
    try {
      db.exec(MIGRATIONS[v]!);
      db.exec(`PRAGMA user_version = ${v + 1}`);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }
  return MIGRATIONS.length;
}
