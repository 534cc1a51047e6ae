// Checks a note before it is stored: the store's callers are models (through store_note) and
// pipelines, so every refusal says which field, what was expected and what was found.
import { AppError } from '../core/errors/index.ts';
import { NOTE_TYPES, type NewNote, type NoteFilter, type NoteType } from './knowledge-note.ts';

export const MAX_TITLE_CHARS = 300;
export const MAX_BODY_CHARS = 100_000;
export const MAX_TAGS = 20;
export const MAX_TAG_CHARS = 60;

function bad(path: string, message: string): AppError {
  return new AppError('bad_request', `note ${path}: ${message}`, { path });
}

export function isNoteType(t: unknown): t is NoteType {
  return typeof t === 'string' && (NOTE_TYPES as readonly string[]).includes(t);
}

function checkType(t: unknown, path: string): void {
  if (!isNoteType(t)) throw bad(path, `expected one of ${NOTE_TYPES.join(', ')}, found ${JSON.stringify(t)}`);
}

function checkText(value: unknown, path: string, max: number, allowEmpty = false): string {
  if (typeof value !== 'string') throw bad(path, `expected a string, found ${typeof value}`);
  const text = value.trim();
  if (!allowEmpty && text === '') throw bad(path, 'expected a non-empty string');
  if (text.length > max) throw bad(path, `expected at most ${max} characters, found ${text.length}`);
  return text;
}

/** the note as it will be stored (trimmed, tags deduplicated) or a bad_request AppError */
export function normalizeNote(
  note: NewNote,
): Required<Omit<NewNote, 'runId' | 'key'>> & Pick<NewNote, 'runId' | 'key'> {
  checkType(note.type, 'type');
  const title = checkText(note.title, 'title', MAX_TITLE_CHARS);
  const body = checkText(note.body, 'body', MAX_BODY_CHARS, true);
  const agent = checkText(note.agent, 'agent', 200);
  const runId = note.runId === undefined ? undefined : checkText(note.runId, 'runId', 200);
  const key = note.key === undefined ? undefined : checkText(note.key, 'key', 500);
  const tags = [...new Set((note.tags ?? []).map((t, i) => checkText(t, `tags[${i}]`, MAX_TAG_CHARS)))];
  if (tags.length > MAX_TAGS) throw bad('tags', `expected at most ${MAX_TAGS} tags, found ${tags.length}`);
  return { type: note.type, title, body, agent, runId, key, tags };
}

export function checkFilter(filter: NoteFilter): void {
  if (filter.type !== undefined) {
    if (typeof filter.type === 'string') checkType(filter.type, 'filter type');
    else filter.type.forEach((t, i) => checkType(t, `filter type[${i}]`));
  }
}

export const DEFAULT_SEARCH_LIMIT = 10;
export const MAX_SEARCH_LIMIT = 100;

export function checkLimit(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_SEARCH_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_SEARCH_LIMIT)
    throw new AppError(
      'bad_request',
      `search limit: expected an integer from 1 to ${MAX_SEARCH_LIMIT}, found ${limit}`,
      { path: 'limit' },
    );
  return limit;
}
