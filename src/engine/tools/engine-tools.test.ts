import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.ts';
import { openEffectJournal } from '../../store/effect-journal-store.ts';
import { openKnowledgeStore } from '../../store/knowledge-store.ts';
import { engineToolsFor } from './engine-tools.ts';
import { tempWorkspace } from './temp-workspace.ts';

describe('engineToolsFor', () => {
  it('gives the engine its EngineTools: side effects flagged, files changed reported, once per key', async () => {
    const t = tempWorkspace({ 'src/a.ts': 'let x = 1;\n' });
    const journal = openEffectJournal({ path: ':memory:' });
    const knowledge = openKnowledgeStore({ path: ':memory:', project: 'p' });
    const tools = engineToolsFor(['read_file', 'patch_file', 'store_note'], {
      workspace: t.ctx.workspace,
      env: {},
      journal,
      knowledge,
    });
    expect(tools.map((x) => [x.name, x.sideEffects])).toEqual([
      ['read_file', false],
      ['patch_file', true],
      ['store_note', true],
    ]);
    const ctx = (key: string) => ({
      runId: 'r',
      agentId: 'coder',
      idempotencyKey: key,
      signal: new AbortController().signal,
      clock: new ManualClock(0),
    });
    const patch = tools[1]!;
    const input = { path: 'src/a.ts', search: 'x = 1', replace: 'x = 2' } as never;
    const r = await patch.execute(input, ctx('r/coder/1/0'));
    expect(r).toEqual({ ok: true, output: 'patched src/a.ts (now 1 lines)', filesChanged: ['src/a.ts'] });
    expect(await patch.execute(input, ctx('r/coder/1/0'))).toEqual(r);
    expect(readFileSync(join(t.dir, 'src/a.ts'), 'utf8')).toBe('let x = 2;\n');
    const read = await tools[0]!.execute({ path: 'nope' } as never, ctx('r/coder/2/0'));
    expect(read).toEqual({
      ok: false,
      output: expect.stringMatching(/^error \(not_found\): nope does not exist/),
    });
    await tools[2]!.execute({ type: 'decision', title: 't', body: 'b' } as never, ctx('r/coder/3/0'));
    expect(knowledge.findByKey('r/coder/3/0')).toMatchObject({ agent: 'coder', runId: 'r' });
    journal.close();
    knowledge.close();
    t.cleanup();
  });
});
