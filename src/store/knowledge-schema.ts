// The knowledge store's tables, migrated per component (component-migrations.ts) so they can live in
// the run store's SQLite file. Notes are rows; knowledge_fts is an FTS5 index over them kept by
// triggers (external content: the text is stored once); vectors are per note and embedding model.
import type { SQLInputValue } from 'node:sqlite';
import type { Note, NoteFilter, NoteType } from './knowledge-note.ts';

export const KNOWLEDGE_MIGRATIONS: readonly string[] = [
  `CREATE TABLE knowledge_notes (
     id INTEGER PRIMARY KEY,
     project TEXT NOT NULL,
     type TEXT NOT NULL,
     agent TEXT NOT NULL,
     run_id TEXT,
     title TEXT NOT NULL,
     body TEXT NOT NULL,
     tags TEXT NOT NULL,
     idem_key TEXT,
     created_ms INTEGER NOT NULL
   );
   CREATE UNIQUE INDEX knowledge_notes_key ON knowledge_notes (project, idem_key) WHERE idem_key IS NOT NULL;
   CREATE INDEX knowledge_notes_recent ON knowledge_notes (project, created_ms);
   CREATE VIRTUAL TABLE knowledge_fts USING fts5(
     title, body, tags, content = 'knowledge_notes', content_rowid = 'id', tokenize = 'porter unicode61'
   );
   CREATE TRIGGER knowledge_notes_ai AFTER INSERT ON knowledge_notes BEGIN
     INSERT INTO knowledge_fts (rowid, title, body, tags) VALUES (new.id, new.title, new.body, new.tags);
   END;
   CREATE TRIGGER knowledge_notes_ad AFTER DELETE ON knowledge_notes BEGIN
     INSERT INTO knowledge_fts (knowledge_fts, rowid, title, body, tags)
       VALUES ('delete', old.id, old.title, old.body, old.tags);
   END;
   CREATE TABLE knowledge_vectors (
     note_id INTEGER NOT NULL REFERENCES knowledge_notes (id) ON DELETE CASCADE,
     model TEXT NOT NULL,
     dims INTEGER NOT NULL,
     vector BLOB NOT NULL,
     PRIMARY KEY (note_id, model)
   );`,
];

export interface NoteRow {
  id: number;
  project: string;
  type: string;
  agent: string;
  run_id: string | null;
  title: string;
  body: string;
  tags: string;
  idem_key: string | null;
  created_ms: number;
}

export const NOTE_COLUMNS =
  'n.id, n.project, n.type, n.agent, n.run_id, n.title, n.body, n.tags, n.idem_key, n.created_ms';

export function noteOf(row: NoteRow): Note {
  return {
    id: row.id,
    project: row.project,
    type: row.type as NoteType,
    title: row.title,
    body: row.body,
    agent: row.agent,
    runId: row.run_id ?? undefined,
    tags: JSON.parse(row.tags) as string[],
    key: row.idem_key ?? undefined,
    createdAt: row.created_ms,
  };
}

/** ` AND ...` conditions on notes aliased `n` for the filter, with their parameters */
export function filterSql(filter: NoteFilter): { sql: string; params: SQLInputValue[] } {
  let sql = '';
  const params: SQLInputValue[] = [];
  if (filter.type !== undefined) {
    const types = typeof filter.type === 'string' ? [filter.type] : [...filter.type];
    sql += types.length === 0 ? ' AND 0' : ` AND n.type IN (${types.map(() => '?').join(', ')})`;
    params.push(...types);
  }
  if (filter.agent !== undefined) {
    sql += ' AND n.agent = ?';
    params.push(filter.agent);
  }
  if (filter.runId !== undefined) {
    sql += ' AND n.run_id = ?';
    params.push(filter.runId);
  }
  for (const tag of filter.tags ?? []) {
    sql += ' AND EXISTS (SELECT 1 FROM json_each(n.tags) WHERE json_each.value = ?)';
    params.push(tag);
  }
  return { sql, params };
}
