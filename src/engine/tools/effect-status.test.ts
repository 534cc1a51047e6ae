import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openKnowledgeStore } from '../../store/knowledge-store.ts';
import { effectStatus } from './effect-status.ts';
import { patchFileTool } from './patch-file-tool.ts';
import { planTool, runTool } from './run-tool.ts';
import { tempWorkspace, type TempWorkspace } from './temp-workspace.ts';
import { appToolsFor } from './tool-registry.ts';

let t: TempWorkspace;
afterEach(() => t.cleanup());

describe('effects after a crash', () => {
  it('tells a file write that was applied from one that was not, and from a diverged file', async () => {
    t = tempWorkspace({ 'a.txt': 'old\n' });
    const [write] = appToolsFor(['write_file']);
    const input = { path: 'a.txt', content: 'new\n' };
    const plan = await planTool(write!, input, t.ctx);
    expect(plan).toMatchObject({ kind: 'file', path: 'a.txt' });
    expect(await effectStatus(plan, t.ctx)).toBe('not_applied');
    await runTool(write!, input, t.ctx);
    expect(await effectStatus(plan, t.ctx)).toBe('applied');
    writeFileSync(join(t.dir, 'a.txt'), 'someone else\n');
    expect(await effectStatus(plan, t.ctx)).toBe('diverged');
  });

  it('knows a patch applied once must not be applied again', async () => {
    t = tempWorkspace({ 'n.txt': 'count = 1\n' });
    const input = { path: 'n.txt', search: 'count = 1', replace: 'count = 1\ncount = 1' };
    const plan = await planTool(patchFileTool, input, t.ctx);
    await runTool(patchFileTool, input, t.ctx);
    expect(await effectStatus(plan, t.ctx)).toBe('applied');
    // applying it again blindly would now fail (ambiguous) or double the change
    expect((await runTool(patchFileTool, input, t.ctx)).ok).toBe(false);
  });

  it('plans a file that does not exist yet as absent, and a call that cannot run as no effect', async () => {
    t = tempWorkspace();
    const [write] = appToolsFor(['write_file']);
    const plan = await planTool(write!, { path: 'new/f.ts', content: 'x' }, t.ctx);
    expect(plan).toMatchObject({ kind: 'file', path: 'new/f.ts', before: null });
    expect(await planTool(write!, { path: '../escape', content: 'x' }, t.ctx)).toEqual({ kind: 'none' });
    expect(await planTool(write!, { path: 3 }, t.ctx)).toEqual({ kind: 'none' });
    expect(await effectStatus({ kind: 'none' }, t.ctx)).toBe('no_effect');
  });

  it('knows a stored note by its key, and that a command cannot be observed', async () => {
    const knowledge = openKnowledgeStore({ path: ':memory:', project: 'p' });
    t = tempWorkspace({}, { knowledge });
    const [store, run, read] = appToolsFor(['store_note', 'run_command', 'read_file']);
    const plan = await planTool(store!, { type: 'note', title: 'x', body: '' }, t.ctx);
    expect(await effectStatus(plan, t.ctx)).toBe('not_applied');
    await runTool(store!, { type: 'note', title: 'x', body: '' }, t.ctx);
    expect(await effectStatus(plan, t.ctx)).toBe('applied');
    expect(await effectStatus(await planTool(run!, { command: 'true' }, t.ctx), t.ctx)).toBe('unknown');
    expect(await effectStatus(await planTool(read!, { path: 'x' }, t.ctx), t.ctx)).toBe('no_effect');
    knowledge.close();
  });
});
