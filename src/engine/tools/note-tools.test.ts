import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.ts';
import { openKnowledgeStore, type KnowledgeStore } from '../../store/knowledge-store.ts';
import { searchNotesTool, storeNoteTool } from './note-tools.ts';
import { runTool } from './run-tool.ts';
import { tempWorkspace, type TempWorkspace } from './temp-workspace.ts';

let t: TempWorkspace;
let knowledge: KnowledgeStore;
afterEach(() => {
  t.cleanup();
  knowledge.close();
});

function setup(): void {
  knowledge = openKnowledgeStore({ path: ':memory:', project: 'calc', clock: new ManualClock(0) });
  t = tempWorkspace({}, { knowledge });
}

describe('store_note and search_notes', () => {
  it('stores a note with the agent and run of the context and finds it by words', async () => {
    setup();
    const stored = await runTool(
      storeNoteTool,
      {
        type: 'decision',
        title: 'Parser in src/parse.ts',
        body: 'Recursive descent, precedence climbing.',
        tags: ['layout'],
      },
      t.ctx,
    );
    expect(stored).toMatchObject({ ok: true, content: 'stored note 1: [decision] Parser in src/parse.ts' });
    await runTool(
      storeNoteTool,
      { type: 'note', title: 'Lunch', body: 'pizza' },
      { ...t.ctx, idempotencyKey: 'k2', agent: 'tester' },
    );
    const found = await runTool(searchNotesTool, { query: 'where is the parser?' }, t.ctx);
    expect(found.content).toBe(
      '1. [decision] Parser in src/parse.ts (note 1, by implementer)\n   [Parser] in src/parse.ts',
    );
    expect(knowledge.get(1)).toMatchObject({
      agent: 'implementer',
      runId: 'run1',
      key: 'run1/agent/1/0',
      tags: ['layout'],
    });
    expect((await runTool(searchNotesTool, { query: '', agent: 'tester' }, t.ctx)).content).toMatch(
      /^1\. \[note\] Lunch/,
    );
    expect((await runTool(searchNotesTool, { query: 'parser', type: 'issue' }, t.ctx)).content).toBe(
      'no note matches',
    );
  });

  it('stores once per idempotency key: a retried call returns the first note', async () => {
    setup();
    await runTool(storeNoteTool, { type: 'result', title: 'done', body: '' }, t.ctx);
    const again = await runTool(storeNoteTool, { type: 'result', title: 'done (retry)', body: '' }, t.ctx);
    expect(again.content).toBe('already stored note 1: [result] done');
    expect(knowledge.count()).toBe(1);
  });

  it('answers errors as results: bad type, empty title, no store', async () => {
    setup();
    expect((await runTool(storeNoteTool, { type: 'rant', title: 'x', body: '' }, t.ctx)).content).toMatch(
      /invalid_input.*type/,
    );
    expect((await runTool(storeNoteTool, { type: 'note', title: ' ', body: '' }, t.ctx)).content).toMatch(
      /invalid_input\): note title: expected a non-empty string/,
    );
    const bare = tempWorkspace();
    expect((await runTool(searchNotesTool, { query: 'x' }, bare.ctx)).content).toMatch(
      /unavailable.*no knowledge store/,
    );
    bare.cleanup();
  });
});
