// What agents store in the knowledge base, and how they find it again.

/** Kinds of notes; free text beyond these is refused so filters stay meaningful. */
export const NOTE_TYPES = ['decision', 'result', 'issue', 'note', 'question', 'answer', 'plan'] as const;
export type NoteType = (typeof NOTE_TYPES)[number];

export interface NewNote {
  type: NoteType;
  title: string;
  body: string;
  /** the agent that stored it (pipeline agent id) */
  agent: string;
  /** the run it was stored in, when any */
  runId?: string;
  tags?: readonly string[];
  /** the caller's idempotency key: adding a note with a key already stored returns the stored note */
  key?: string;
}

export interface Note {
  id: number;
  project: string;
  type: NoteType;
  title: string;
  body: string;
  agent: string;
  runId: string | undefined;
  tags: string[];
  key: string | undefined;
  /** epoch ms on the store's clock */
  createdAt: number;
}

export interface NoteFilter {
  type?: NoteType | readonly NoteType[];
  agent?: string;
  runId?: string;
  /** notes carrying every one of these tags */
  tags?: readonly string[];
}

export interface SearchOptions extends NoteFilter {
  /** at most this many hits (default 10, at most 100) */
  limit?: number;
  signal?: AbortSignal;
}

/** How the hits were ranked: keyword relevance, keywords fused with embeddings, or newest first
 * (a query without any word, e.g. only filters). */
export type Ranking = 'bm25' | 'hybrid' | 'recent';

export interface SearchHit {
  note: Note;
  /** higher is better; comparable only within one result */
  score: number;
  /** the matching passage with the matched words in [brackets], or the body's start */
  snippet: string;
  /** 1-based ranks in the keyword and the embedding lists, when the note is in them */
  keywordRank?: number;
  vectorRank?: number;
  /** cosine similarity of the note's embedding to the query's (hybrid only) */
  cosine?: number;
}

export interface SearchResult {
  hits: SearchHit[];
  ranking: Ranking;
  /** why the ranking is less than asked for (e.g. the embedding model failed: keywords only) */
  warning?: string;
}

/**
 * An embedding model, e.g. Ollama's POST /api/embed on the fleet. One vector per input, in order.
 * Injected: the store never invents vectors (no hash pretends to be an embedding).
 */
export interface Embedder {
  /** the model's name: vectors of another model are not compared with this one's */
  model: string;
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
}
