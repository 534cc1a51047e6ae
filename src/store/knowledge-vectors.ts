// Embeddings of notes: computed by the injected embedding model, stored per note and model, and
// ranked by cosine similarity to the query's embedding. The scan is linear in the project's notes
// of that model, which is milliseconds for the thousands of notes a project's agents write.
import type { DatabaseSync } from 'node:sqlite';
import { AppError } from '../core/errors/index.ts';
import type { Embedder, Note, NoteFilter } from './knowledge-note.ts';
import { NOTE_COLUMNS, filterSql, noteOf, type NoteRow } from './knowledge-schema.ts';
import { cosine, decodeVector, encodeVector } from './vector-math.ts';

export function embeddingText(note: Pick<Note, 'title' | 'body' | 'tags'>): string {
  return [note.title, note.body, note.tags.join(' ')].filter((s) => s !== '').join('\n\n');
}

/** the embedder's vectors for `texts`, checked: one per text, same length, finite numbers */
export async function embedChecked(
  embedder: Embedder,
  texts: readonly string[],
  signal?: AbortSignal,
): Promise<number[][]> {
  const vectors = await embedder.embed(texts, signal);
  const fail = (what: string): never => {
    throw new AppError('upstream_error', `embedding model ${embedder.model} answered ${what}`);
  };
  if (!Array.isArray(vectors) || vectors.length !== texts.length)
    fail(`${Array.isArray(vectors) ? vectors.length : 'no'} vectors for ${texts.length} inputs`);
  const dims = vectors[0]?.length ?? 0;
  for (const v of vectors) {
    if (!Array.isArray(v) || v.length === 0 || v.length !== dims)
      fail('vectors of different or zero lengths');
    if (!v.every((x) => Number.isFinite(x))) fail('a vector with a number that is not finite');
  }
  return vectors;
}

export async function embedNotes(
  db: DatabaseSync,
  embedder: Embedder,
  notes: readonly Note[],
  signal?: AbortSignal,
): Promise<void> {
  const vectors = await embedChecked(embedder, notes.map(embeddingText), signal);
  const put = db.prepare(
    `INSERT INTO knowledge_vectors (note_id, model, dims, vector) VALUES (?, ?, ?, ?)
     ON CONFLICT (note_id, model) DO UPDATE SET dims = excluded.dims, vector = excluded.vector`,
  );
  db.exec('BEGIN');
  try {
    notes.forEach((n, i) => put.run(n.id, embedder.model, vectors[i]!.length, encodeVector(vectors[i]!)));
    db.exec('COMMIT');
  } catch (e) {
    db.exec('ROLLBACK');
    throw e;
  }
}

/** the project's notes with a vector of the embedder's model, by cosine to the query, best first */
export async function vectorRanking(
  db: DatabaseSync,
  embedder: Embedder,
  project: string,
  query: string,
  filter: NoteFilter,
  limit: number,
  signal?: AbortSignal,
): Promise<{ note: Note; cosine: number }[]> {
  const [q] = await embedChecked(embedder, [query], signal);
  const f = filterSql(filter);
  const rows = db
    .prepare(
      `SELECT ${NOTE_COLUMNS}, v.vector AS vector FROM knowledge_vectors v
       JOIN knowledge_notes n ON n.id = v.note_id
       WHERE n.project = ? AND v.model = ? AND v.dims = ?${f.sql}`,
    )
    .all(project, embedder.model, q!.length, ...f.params) as unknown as (NoteRow & { vector: Uint8Array })[];
  return rows
    .map((r) => ({ note: noteOf(r), cosine: cosine(q!, decodeVector(r.vector)) }))
    .sort((a, b) => b.cosine - a.cosine || a.note.id - b.note.id)
    .slice(0, limit);
}
