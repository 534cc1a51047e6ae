// The knowledge store: notes agents store (decisions, results, issues), found again by keyword
// relevance (SQLite FTS5, BM25) and, when an embedding model is configured, fused with cosine
// similarity of embeddings (reciprocal rank fusion). One store object serves one project; several
// projects and the run store can share one SQLite file.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { AppError } from '../core/errors/index.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { migrateComponent } from './component-migrations.ts';
import { embedNotes, vectorRanking } from './knowledge-vectors.ts';
import { KNOWLEDGE_MIGRATIONS, NOTE_COLUMNS, filterSql, noteOf, type NoteRow } from './knowledge-schema.ts';
import type {
  Embedder,
  NewNote,
  Note,
  NoteFilter,
  SearchHit,
  SearchOptions,
  SearchResult,
} from './knowledge-note.ts';
import { toFtsQuery } from './fts-query.ts';
import { checkFilter, checkLimit, normalizeNote } from './note-validation.ts';
import { reciprocalRankFusion } from './vector-math.ts';

export interface KnowledgeStoreOptions {
  /** a file to open (created with its folder), ':memory:', or omit and pass `db` */
  path?: string;
  /** an open database shared with other stores (e.g. the run store); close() leaves it open */
  db?: DatabaseSync;
  /** the project whose notes this store reads and writes */
  project: string;
  clock?: Clock;
  /** only when an embedding model is configured; without it, ranking is BM25 alone */
  embedder?: Embedder;
}

export interface AddResult {
  note: Note;
  /** false when a note with the same key was already stored (it is returned, nothing is added) */
  created: boolean;
  /** set when the note was stored but could not be embedded (embedPending() retries) */
  warning?: string;
}

export interface KnowledgeStore {
  readonly project: string;
  add(note: NewNote, options?: { signal?: AbortSignal }): Promise<AddResult>;
  search(query: string, options?: SearchOptions): Promise<SearchResult>;
  get(id: number): Note | undefined;
  findByKey(key: string): Note | undefined;
  count(filter?: NoteFilter): number;
  /** embeds up to `limit` notes that have no vector of the configured model; returns how many */
  embedPending(options?: { limit?: number; signal?: AbortSignal }): Promise<number>;
  close(): void;
}

/** how many keyword and vector candidates are fused per hit asked for */
const CANDIDATES_PER_HIT = 4;
const MIN_CANDIDATES = 40;
const SNIPPET_TOKENS = 24;
const HEAD_CHARS = 200;
const PENDING_PER_SEARCH = 16;

function openAndMigrate(options: KnowledgeStoreOptions): DatabaseSync {
  const { path } = options;
  let db = options.db;
  try {
    if (db === undefined) {
      if (path !== ':memory:') mkdirSync(dirname(path!), { recursive: true });
      db = new DatabaseSync(path!);
      if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
      db.exec('PRAGMA busy_timeout = 5000');
    }
    migrateComponent(db, 'knowledge', KNOWLEDGE_MIGRATIONS);
    return db;
  } catch (e) {
    if (options.db === undefined) db?.close();
    const where = path ?? '(shared database)';
    throw new AppError(
      'config_invalid',
      `cannot open the knowledge store ${where}: ${(e as Error).message}`,
      {
        cause: e,
        ...(path === undefined ? {} : { path }),
      },
    );
  }
}

export function openKnowledgeStore(options: KnowledgeStoreOptions): KnowledgeStore {
  const { project, embedder } = options;
  const clock = options.clock ?? systemClock;
  if (typeof project !== 'string' || project.trim() === '')
    throw new AppError('bad_request', 'knowledge store: expected a non-empty project name', {
      path: 'project',
    });
  if ((options.db === undefined) === (options.path === undefined))
    throw new AppError('bad_request', 'knowledge store: pass exactly one of `path` and `db`');
  const ownsDb = options.db === undefined;
  const db = openAndMigrate(options);

  const byId = db.prepare(`SELECT ${NOTE_COLUMNS} FROM knowledge_notes n WHERE n.id = ? AND n.project = ?`);
  const byKey = db.prepare(
    `SELECT ${NOTE_COLUMNS} FROM knowledge_notes n WHERE n.project = ? AND n.idem_key = ?`,
  );
  // a key stored meanwhile by another connection to the file is not an error: that note is the answer
  const insert = db.prepare(
    `INSERT INTO knowledge_notes (project, type, agent, run_id, title, body, tags, idem_key, created_ms)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (project, idem_key) WHERE idem_key IS NOT NULL DO NOTHING RETURNING id`,
  );

  const get = (id: number): Note | undefined => {
    const row = byId.get(id, project) as NoteRow | undefined;
    return row && noteOf(row);
  };
  const findByKey = (key: string): Note | undefined => {
    const row = byKey.get(project, key) as NoteRow | undefined;
    return row && noteOf(row);
  };

  async function embedSafely(notes: Note[], signal?: AbortSignal): Promise<string | undefined> {
    if (!embedder || notes.length === 0) return undefined;
    try {
      await embedNotes(db, embedder, notes, signal);
      return undefined;
    } catch (e) {
      return `not embedded with ${embedder.model}: ${(e as Error).message}`;
    }
  }

  function keywordHits(query: string, filter: NoteFilter, limit: number): SearchHit[] {
    const match = toFtsQuery(query);
    if (match === undefined) return [];
    const f = filterSql(filter);
    const rows = db
      .prepare(
        `SELECT ${NOTE_COLUMNS}, bm25(knowledge_fts, 4.0, 1.0, 2.0) AS rank,
           snippet(knowledge_fts, -1, '[', ']', '…', ${SNIPPET_TOKENS}) AS snip
         FROM knowledge_fts JOIN knowledge_notes n ON n.id = knowledge_fts.rowid
         WHERE knowledge_fts MATCH ? AND n.project = ?${f.sql}
         ORDER BY rank, n.id LIMIT ?`,
      )
      .all(match, project, ...f.params, limit) as unknown as (NoteRow & { rank: number; snip: string })[];
    // bm25() is lower for better matches; the score is its negation so that higher is better
    return rows.map((r, i) => ({ note: noteOf(r), score: -r.rank, snippet: r.snip, keywordRank: i + 1 }));
  }

  function recentHits(filter: NoteFilter, limit: number): SearchHit[] {
    const f = filterSql(filter);
    const rows = db
      .prepare(
        `SELECT ${NOTE_COLUMNS} FROM knowledge_notes n WHERE n.project = ?${f.sql}
         ORDER BY n.created_ms DESC, n.id DESC LIMIT ?`,
      )
      .all(project, ...f.params, limit) as unknown as NoteRow[];
    return rows.map((r) => ({ note: noteOf(r), score: r.created_ms, snippet: head(r.body) }));
  }

  async function embedPending(limit: number, signal: AbortSignal | undefined): Promise<number> {
    if (!embedder) return 0;
    const rows = db
      .prepare(
        `SELECT ${NOTE_COLUMNS} FROM knowledge_notes n WHERE n.project = ? AND NOT EXISTS
           (SELECT 1 FROM knowledge_vectors v WHERE v.note_id = n.id AND v.model = ?) ORDER BY n.id LIMIT ?`,
      )
      .all(project, embedder.model, limit) as unknown as NoteRow[];
    const notes = rows.map(noteOf);
    if (notes.length > 0) await embedNotes(db, embedder, notes, signal);
    return notes.length;
  }

  async function hybridHits(
    query: string,
    filter: NoteFilter,
    limit: number,
    signal: AbortSignal | undefined,
  ): Promise<SearchResult> {
    const candidates = Math.max(MIN_CANDIDATES, limit * CANDIDATES_PER_HIT);
    const keyword = keywordHits(query, filter, candidates);
    // notes stored while the embedding model was unreachable (or by a process killed before it
    // embedded them) get their vectors now, a few per search
    await embedPending(PENDING_PER_SEARCH, signal).catch((e: unknown) => {
      if (signal?.aborted) throw e;
    });
    let vectors: { note: Note; cosine: number }[];
    try {
      vectors = await vectorRanking(db, embedder!, project, query, filter, candidates, signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      const warning = `embedding the query with ${embedder!.model} failed (${(e as Error).message}); ranked by keywords only`;
      return { hits: keyword.slice(0, limit), ranking: 'bm25', warning };
    }
    const byNote = new Map<number, SearchHit>();
    keyword.forEach((h) => byNote.set(h.note.id, h));
    vectors.forEach((v, i) => {
      const hit = byNote.get(v.note.id) ?? { note: v.note, score: 0, snippet: head(v.note.body) };
      byNote.set(v.note.id, { ...hit, vectorRank: i + 1, cosine: v.cosine });
    });
    const fused = reciprocalRankFusion([keyword.map((h) => h.note.id), vectors.map((v) => v.note.id)]);
    const hits = fused.slice(0, limit).map(({ id, score }) => ({ ...byNote.get(id)!, score }));
    return { hits, ranking: 'hybrid' };
  }

  return {
    project,
    async add(note, addOptions = {}) {
      const n = normalizeNote(note);
      const row = insert.get(
        project,
        n.type,
        n.agent,
        n.runId ?? null,
        n.title,
        n.body,
        JSON.stringify(n.tags),
        n.key ?? null,
        clock.now(),
      ) as { id: number } | undefined;
      if (!row) return { note: findByKey(n.key!)!, created: false };
      const stored = get(row.id)!;
      const warning = await embedSafely([stored], addOptions.signal);
      return warning === undefined
        ? { note: stored, created: true }
        : { note: stored, created: true, warning };
    },
    async search(query, searchOptions = {}) {
      const limit = checkLimit(searchOptions.limit);
      checkFilter(searchOptions);
      if (typeof query !== 'string')
        throw new AppError('bad_request', `search query: expected a string, found ${typeof query}`);
      if (toFtsQuery(query) === undefined)
        return { hits: recentHits(searchOptions, limit), ranking: 'recent' };
      if (!embedder) return { hits: keywordHits(query, searchOptions, limit), ranking: 'bm25' };
      return hybridHits(query, searchOptions, limit, searchOptions.signal);
    },
    get,
    findByKey,
    count(filter = {}) {
      checkFilter(filter);
      const f = filterSql(filter);
      const row = db
        .prepare(`SELECT count(*) AS c FROM knowledge_notes n WHERE n.project = ?${f.sql}`)
        .get(project, ...f.params) as { c: number };
      return row.c;
    },
    embedPending: (o = {}) => embedPending(o.limit ?? 100, o.signal),
    close() {
      if (ownsDb && db.isOpen) db.close();
    },
  };
}

function head(body: string): string {
  return body.length <= HEAD_CHARS ? body : `${body.slice(0, HEAD_CHARS)}…`;
}
