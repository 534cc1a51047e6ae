// Schema migrations per component (runs, knowledge, ...) in one SQLite file. Each component
// records its version in `orchestra_schema` instead of PRAGMA user_version, which belongs to the
// usage store's migrations (migrations.ts), so stores can share a database file or not.
import type { DatabaseSync } from 'node:sqlite';

/** Applies the component's migrations the database has not seen yet, each in its own transaction;
 * returns the component's version afterwards. */
export function migrateComponent(db: DatabaseSync, component: string, migrations: readonly string[]): number {
  db.exec(
    'CREATE TABLE IF NOT EXISTS orchestra_schema (component TEXT PRIMARY KEY, version INTEGER NOT NULL)',
  );
  const row = db.prepare('SELECT version FROM orchestra_schema WHERE component = ?').get(component) as
    { version: number } | undefined;
  const current = row?.version ?? 0;
  if (current > migrations.length)
    throw new Error(
      `the ${component} schema was written by a newer Orchestra (version ${current}, this one knows ${migrations.length})`,
    );
  for (let v = current; v < migrations.length; v++) {
    db.exec('BEGIN');
    try {
      db.exec(migrations[v]!);
      db.prepare(
        'INSERT INTO orchestra_schema (component, version) VALUES (?, ?) ON CONFLICT(component) DO UPDATE SET version = excluded.version',
      ).run(component, v + 1);
      db.exec('COMMIT');
    } catch (e) {
      db.exec('ROLLBACK');
      throw e;
    }
  }
  return migrations.length;
}
