// search_notes and store_note: the knowledge store as tools. The agent and run of a stored note
// come from the engine's context, not from the model; the idempotency key makes a store retried
// after a crash return the note stored the first time.
import { z } from 'zod';
import { isAppError } from '../../core/errors/index.ts';
import type { KnowledgeStore } from '../../store/knowledge-store.ts';
import { NOTE_TYPES } from '../../store/knowledge-note.ts';
import { MAX_SEARCH_LIMIT } from '../../store/note-validation.ts';
import { defineTool } from './define-tool.ts';
import { ToolError } from './tool-error.ts';
import type { ToolContext } from './tool-types.ts';

function storeOf(ctx: ToolContext): KnowledgeStore {
  if (!ctx.knowledge) throw new ToolError('unavailable', 'no knowledge store is configured for this run');
  return ctx.knowledge;
}

/** the store's bad_request errors are the model's to fix */
function rethrow(e: unknown): never {
  if (isAppError(e) && e.code === 'bad_request') throw new ToolError('invalid_input', e.message);
  throw e;
}

const SearchInput = z
  .object({
    query: z.string().describe('words to look for, e.g. "parser precedence decision"'),
    type: z.enum(NOTE_TYPES).optional().describe('only notes of this type'),
    agent: z.string().optional().describe('only notes stored by this agent'),
    runId: z.string().optional().describe('only notes of this run'),
    limit: z
      .number()
      .int()
      .min(1)
      .max(MAX_SEARCH_LIMIT)
      .optional()
      .describe('at most this many notes; default 10'),
  })
  .strict();

export const searchNotesTool = defineTool({
  name: 'search_notes',
  description:
    'Search the notes agents stored (decisions, results, issues...) by words, best matches first; ' +
    'optionally only one type, agent or run. An empty query lists the newest notes.',
  input: SearchInput,
  effect: 'none',
  async execute(input, ctx) {
    const { query, ...filter } = input;
    const result = await storeOf(ctx)
      .search(query, { ...filter, ...(ctx.signal ? { signal: ctx.signal } : {}) })
      .catch(rethrow);
    const lines = result.hits.map(
      (h, i) =>
        `${i + 1}. [${h.note.type}] ${h.note.title} (note ${h.note.id}, by ${h.note.agent})\n   ${h.snippet.replaceAll('\n', ' ')}`,
    );
    if (lines.length === 0) lines.push('no note matches');
    if (result.warning) lines.push(`[${result.warning}]`);
    return {
      ok: true,
      content: lines.join('\n'),
      data: {
        ranking: result.ranking,
        hits: result.hits.map((h) => ({
          id: h.note.id,
          type: h.note.type,
          title: h.note.title,
          score: h.score,
        })),
      },
    };
  },
});

const StoreInput = z
  .object({
    type: z.enum(NOTE_TYPES).describe('decision, result, issue, note, question, answer or plan'),
    title: z.string().describe('one line that says what the note is about'),
    body: z.string().describe('the note itself'),
    tags: z.array(z.string()).optional().describe('keywords to filter by later'),
  })
  .strict();

export const storeNoteTool = defineTool({
  name: 'store_note',
  description:
    'Store a note for the other agents (a decision, a result, an issue...) in the knowledge store; ' +
    'search_notes finds it.',
  input: StoreInput,
  effect: 'knowledge',
  plan: (_input, ctx) => Promise.resolve({ kind: 'note', key: ctx.idempotencyKey }),
  async execute(input, ctx) {
    const added = await storeOf(ctx)
      .add(
        { ...input, agent: ctx.agent, runId: ctx.runId, key: ctx.idempotencyKey },
        ctx.signal ? { signal: ctx.signal } : {},
      )
      .catch(rethrow);
    const what = added.created ? 'stored' : 'already stored';
    const warning = added.warning ? ` [${added.warning}]` : '';
    return {
      ok: true,
      content: `${what} note ${added.note.id}: [${added.note.type}] ${added.note.title}${warning}`,
      data: { id: added.note.id, created: added.created },
    };
  },
});
