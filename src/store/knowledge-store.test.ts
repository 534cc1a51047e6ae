import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.ts';
import type { Embedder, NewNote } from './knowledge-note.ts';
import { openKnowledgeStore, type KnowledgeStore } from './knowledge-store.ts';

const open: KnowledgeStore[] = [];
const dirs: string[] = [];
afterEach(() => {
  open.splice(0).forEach((s) => s.close());
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

function store(options: Partial<Parameters<typeof openKnowledgeStore>[0]> = {}): KnowledgeStore {
  const s = openKnowledgeStore({
    path: ':memory:',
    project: 'calc',
    clock: new ManualClock(1000),
    ...options,
  });
  open.push(s);
  return s;
}

const note = (over: Partial<NewNote> = {}): NewNote => ({
  type: 'note',
  title: 'untitled',
  body: '',
  agent: 'architect',
  ...over,
});

async function seed(s: KnowledgeStore): Promise<void> {
  await s.add(
    note({
      type: 'decision',
      title: 'Use SQLite for persistence',
      body: 'The run store keeps events in SQLite with WAL.',
      tags: ['storage'],
    }),
  );
  await s.add(
    note({
      type: 'result',
      agent: 'implementer',
      runId: 'r1',
      title: 'Parser implemented',
      body: 'The expression parser handles precedence and parentheses.',
    }),
  );
  await s.add(
    note({
      type: 'issue',
      agent: 'tester',
      runId: 'r1',
      title: 'Division by zero',
      body: 'divide(1, 0) throws instead of returning Infinity; the parser is fine.',
    }),
  );
  await s.add(note({ type: 'note', title: 'Weather', body: 'It was sunny when the architect wrote this.' }));
}

describe('knowledge store: keyword search', () => {
  it('ranks a relevant note above an irrelevant one by BM25, with a snippet', async () => {
    const s = store();
    await seed(s);
    const r = await s.search('how does the parser handle precedence?');
    expect(r.ranking).toBe('bm25');
    expect(r.hits[0]!.note.title).toBe('Parser implemented');
    // the division note mentions the parser once; the weather note not at all
    expect(r.hits.map((h) => h.note.title)).toEqual(['Parser implemented', 'Division by zero']);
    expect(r.hits[0]!.score).toBeGreaterThan(r.hits[1]!.score);
    expect(r.hits[0]!.snippet).toContain('[precedence]');
    expect(r.hits[0]!.keywordRank).toBe(1);
  });

  it('matches stemmed words and title words weigh more than body words', async () => {
    const s = store();
    await s.add(note({ title: 'caching', body: 'about something else entirely' }));
    await s.add(note({ title: 'misc', body: 'we talked about caches and caching here' }));
    const r = await s.search('cache');
    expect(r.hits.map((h) => h.note.title)).toEqual(['caching', 'misc']);
  });

  it('filters by type, agent, run and tags, and honours the limit', async () => {
    const s = store();
    await seed(s);
    const titles = async (q: string, o: Parameters<KnowledgeStore['search']>[1]) =>
      (await s.search(q, o)).hits.map((h) => h.note.title);
    expect(await titles('parser', { type: 'issue' })).toEqual(['Division by zero']);
    expect(await titles('parser', { type: ['issue', 'result'] })).toHaveLength(2);
    expect(await titles('parser', { agent: 'implementer' })).toEqual(['Parser implemented']);
    expect(await titles('the', { runId: 'r1' })).toHaveLength(2);
    expect(await titles('sqlite', { tags: ['storage'] })).toEqual(['Use SQLite for persistence']);
    expect(await titles('sqlite', { tags: ['other'] })).toEqual([]);
    expect(await titles('the', { limit: 1 })).toHaveLength(1);
    expect(s.count({ runId: 'r1' })).toBe(2);
  });

  it('lists the newest notes for a query without words', async () => {
    const clock = new ManualClock(0);
    const s = store({ clock });
    await s.add(note({ title: 'first' }));
    await clock.advance(10);
    await s.add(note({ title: 'second', type: 'decision' }));
    const r = await s.search('  ?? ');
    expect(r.ranking).toBe('recent');
    expect(r.hits.map((h) => h.note.title)).toEqual(['second', 'first']);
    expect((await s.search('', { type: 'decision' })).hits.map((h) => h.note.title)).toEqual(['second']);
  });

  it('never throws on FTS5 syntax in the query', async () => {
    const s = store();
    await seed(s);
    for (const q of [
      '"unterminated',
      'title:parser',
      'NOT',
      'a AND (b',
      'parser*',
      '^NEAR(x y)',
      '-- ; DROP',
      '{title body}: x',
      'AND OR NOT',
    ])
      await expect(s.search(q)).resolves.toBeDefined();
    expect((await s.search('title:parser')).hits[0]!.note.title).toBe('Parser implemented');
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), async (q) => {
        await s.search(q);
      }),
      { numRuns: 200 },
    );
  });

  it('keeps projects apart in one file', async () => {
    const db = new DatabaseSync(':memory:');
    const a = store({ path: undefined, db, project: 'a' });
    const b = store({ path: undefined, db, project: 'b' });
    await a.add(note({ title: 'alpha parser' }));
    expect((await b.search('parser')).hits).toEqual([]);
    expect((await a.search('parser')).hits).toHaveLength(1);
    a.close();
    expect(db.isOpen).toBe(true);
    db.close();
  });
});

describe('knowledge store: storing', () => {
  it('returns the stored note for a key already used instead of adding it twice', async () => {
    const s = store();
    const first = await s.add(note({ title: 'once', key: 'run1/arch/3/0' }));
    const again = await s.add(note({ title: 'once, retried', key: 'run1/arch/3/0' }));
    expect(first.created).toBe(true);
    expect(again).toEqual({ note: first.note, created: false });
    expect(s.count()).toBe(1);
    expect(s.findByKey('run1/arch/3/0')?.title).toBe('once');
  });

  it('refuses bad notes and filters with a message naming the field', async () => {
    const s = store();
    await expect(s.add(note({ type: 'opinion' as never }))).rejects.toThrow(
      /note type: expected one of decision/,
    );
    await expect(s.add(note({ title: '  ' }))).rejects.toThrow(/note title: expected a non-empty string/);
    await expect(s.add(note({ tags: ['ok', 7 as never] }))).rejects.toThrow(
      /note tags\[1\]: expected a string/,
    );
    await expect(s.search('x', { limit: 0 })).rejects.toThrow(
      /limit: expected an integer from 1 to 100, found 0/,
    );
    await expect(s.search('x', { type: 'nope' as never })).rejects.toThrow(/filter type/);
    expect(s.count()).toBe(0);
  });

  it('keeps notes when the file is reopened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'knowledge-'));
    dirs.push(dir);
    const path = join(dir, 'sub', 'runs.db');
    const s1 = openKnowledgeStore({ path, project: 'calc' });
    const { note: stored } = await s1.add(
      note({ type: 'decision', title: 'Keep it small', body: 'one module', tags: ['scope'] }),
    );
    s1.close();
    const s2 = store({ path });
    expect(s2.get(stored.id)).toEqual(stored);
    expect((await s2.search('small module')).hits[0]!.note).toEqual(stored);
  });
});

/** A fake embedding model: a vector per concept word, so similarity is known by construction. */
function conceptEmbedder(calls: string[][] = []): Embedder {
  const concepts = [
    ['car', 'automobile', 'vehicle'],
    ['dog', 'puppy'],
    ['tax', 'invoice'],
  ];
  return {
    model: 'fake-embed',
    embed: (texts) => {
      calls.push([...texts]);
      return Promise.resolve(
        texts.map((t) =>
          concepts.map((words) => words.filter((w) => t.toLowerCase().includes(w)).length + 0.01),
        ),
      );
    },
  };
}

describe('knowledge store: embeddings', () => {
  it('fuses keyword and vector ranks: a synonym without a shared word is found', async () => {
    const calls: string[][] = [];
    const s = store({ embedder: conceptEmbedder(calls) });
    await s.add(note({ title: 'Automobile maintenance', body: 'oil every year' }));
    await s.add(note({ title: 'Puppy training', body: 'be patient' }));
    const r = await s.search('car');
    expect(r.ranking).toBe('hybrid');
    expect(r.hits[0]!.note.title).toBe('Automobile maintenance');
    expect(r.hits[0]!.keywordRank).toBeUndefined();
    expect(r.hits[0]!.vectorRank).toBe(1);
    expect(r.hits[0]!.cosine).toBeGreaterThan(0.9);
    expect(calls).toEqual([
      ['Automobile maintenance\n\noil every year'],
      ['Puppy training\n\nbe patient'],
      ['car'],
    ]);
  });

  it('ranks a note in both lists above one in a single list', async () => {
    const s = store({ embedder: conceptEmbedder() });
    await s.add(note({ title: 'vehicle tax', body: 'invoice for the car' }));
    await s.add(note({ title: 'car', body: 'a dog in the car' }));
    await s.add(note({ title: 'tax invoice', body: 'paper' }));
    const r = await s.search('tax invoice');
    expect(r.hits[0]!.keywordRank).toBeDefined();
    expect(r.hits[0]!.vectorRank).toBeDefined();
    expect(r.hits[0]!.score).toBeGreaterThan(r.hits.at(-1)!.score);
  });

  it('stores a note the embedder fails on, says so, and embeds it later', async () => {
    let fail = true;
    const good = conceptEmbedder();
    const s = store({
      embedder: {
        model: 'fake-embed',
        embed: (t) => (fail ? Promise.reject(new Error('connection refused')) : good.embed(t)),
      },
    });
    const added = await s.add(note({ title: 'dog food' }));
    expect(added.warning).toMatch(/not embedded with fake-embed: connection refused/);
    expect(s.count()).toBe(1);
    const r = await s.search('dog');
    expect(r.ranking).toBe('bm25');
    expect(r.warning).toMatch(/ranked by keywords only/);
    expect(r.hits).toHaveLength(1);
    fail = false;
    expect(await s.embedPending()).toBe(1);
    expect(await s.embedPending()).toBe(0);
    expect((await s.search('puppy')).hits[0]?.vectorRank).toBe(1);
  });

  it('embeds notes stored while the embedding model was down at the next search', async () => {
    let fail = true;
    const good = conceptEmbedder();
    const s = store({
      embedder: {
        model: 'fake-embed',
        embed: (t) => (fail ? Promise.reject(new Error('down')) : good.embed(t)),
      },
    });
    await s.add(note({ title: 'Puppy school' }));
    fail = false;
    const r = await s.search('dog');
    expect(r.ranking).toBe('hybrid');
    expect(r.hits[0]!.vectorRank).toBe(1);
    expect(r.hits[0]!.keywordRank).toBeUndefined();
    expect(await s.embedPending()).toBe(0);
  });

  it('answers the note another connection stored under the same key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'knowledge-'));
    dirs.push(dir);
    const path = join(dir, 'k.db');
    const a = store({ path });
    const b = store({ path });
    const fromA = await a.add(note({ title: 'from a', key: 'k1' }));
    expect(await b.add(note({ title: 'from b', key: 'k1' }))).toEqual({ note: fromA.note, created: false });
  });

  it('refuses malformed vectors from the embedding model', async () => {
    const s = store({ embedder: { model: 'bad', embed: () => Promise.resolve([[1, Number.NaN]]) } });
    expect((await s.add(note({ title: 'x' }))).warning).toMatch(/not finite/);
    const s2 = store({ embedder: { model: 'bad', embed: () => Promise.resolve([]) } });
    expect((await s2.add(note({ title: 'x' }))).warning).toMatch(/0 vectors for 1 inputs/);
  });

  it('ranks by BM25 alone without an embedding model (no vectors are made up)', async () => {
    const s = store();
    await s.add(note({ title: 'Automobile maintenance' }));
    const r = await s.search('car');
    expect(r).toEqual({ hits: [], ranking: 'bm25' });
    expect(await s.embedPending()).toBe(0);
  });
});
