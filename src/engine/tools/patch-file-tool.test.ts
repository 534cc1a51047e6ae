import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { patchFileTool } from './patch-file-tool.ts';
import { runTool } from './run-tool.ts';
import { tempWorkspace, type TempWorkspace } from './temp-workspace.ts';

let t: TempWorkspace;
afterEach(() => t.cleanup());
const read = (p: string) => readFileSync(join(t.dir, p), 'utf8');
const src = 'export function add(a: number, b: number) {\n  return a - b;\n}\n';

describe('patch_file', () => {
  it('applies one search/replace edit', async () => {
    t = tempWorkspace({ 'src/calc.ts': src });
    const r = await runTool(patchFileTool, { path: 'src/calc.ts', search: 'a - b', replace: 'a + b' }, t.ctx);
    expect(r).toMatchObject({ ok: true, content: 'patched src/calc.ts (now 3 lines)' });
    expect(read('src/calc.ts')).toBe(src.replace('a - b', 'a + b'));
  });

  it('applies edits and a diff together, or nothing when one fails', async () => {
    t = tempWorkspace({ 'f.ts': src });
    const diff = '@@ -2 +2 @@\n-  return a - b;\n+  return a + b;\n';
    const ok = await runTool(
      patchFileTool,
      { path: 'f.ts', diff, edits: [{ search: 'add', replace: 'plus' }] },
      t.ctx,
    );
    expect(ok.ok).toBe(true);
    expect(read('f.ts')).toBe('export function plus(a: number, b: number) {\n  return a + b;\n}\n');
    const bad = await runTool(
      patchFileTool,
      {
        path: 'f.ts',
        edits: [
          { search: 'plus', replace: 'x' },
          { search: 'nope', replace: 'y' },
        ],
      },
      t.ctx,
    );
    expect(bad).toMatchObject({ ok: false, error: { code: 'patch_failed' } });
    expect(bad.content).toMatch(/f\.ts: edit 2: the search text is not in the file.*nothing was changed/);
    expect(read('f.ts')).toContain('plus');
  });

  it('reports an ambiguous search text as such', async () => {
    t = tempWorkspace({ 'f.ts': 'a\na\n' });
    const r = await runTool(patchFileTool, { path: 'f.ts', search: 'a', replace: 'b' }, t.ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'ambiguous_match' } });
  });

  it('needs an edit or a diff, both halves of an edit, and an existing file for edits', async () => {
    t = tempWorkspace({ 'f.ts': src });
    expect((await runTool(patchFileTool, { path: 'f.ts' }, t.ctx)).content).toMatch(
      /give an edit .* or a unified diff/,
    );
    expect((await runTool(patchFileTool, { path: 'f.ts', search: 'a' }, t.ctx)).content).toMatch(
      /give both search and replace/,
    );
    expect(
      (await runTool(patchFileTool, { path: 'g.ts', search: 'a', replace: 'b' }, t.ctx)).content,
    ).toMatch(/g\.ts does not exist; write_file creates files/);
    const created = await runTool(
      patchFileTool,
      { path: 'new.txt', diff: '--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1 @@\n+hi\n' },
      t.ctx,
    );
    expect(created.ok).toBe(true);
    expect(read('new.txt')).toBe('hi\n');
    expect(
      (await runTool(patchFileTool, { path: '../x', search: 'a', replace: 'b' }, t.ctx)).content,
    ).toMatch(/path_refused/);
  });

  it('says when the content is already what the patch makes', async () => {
    t = tempWorkspace({ 'f.ts': 'a\n' });
    const r = await runTool(patchFileTool, { path: 'f.ts', search: 'a', replace: 'a' }, t.ctx);
    expect(r.content).toBe('f.ts already has this content; nothing changed');
  });
});
