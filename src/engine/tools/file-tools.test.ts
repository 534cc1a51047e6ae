import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listFilesTool } from './list-files-tool.ts';
import { readFileTool } from './read-file-tool.ts';
import { runTool } from './run-tool.ts';
import { tempWorkspace, type TempWorkspace } from './temp-workspace.ts';
import type { ToolResult } from './tool-types.ts';
import { writeFileTool } from './write-file-tool.ts';

let t: TempWorkspace;
afterEach(() => t.cleanup());

const lines = (n: number): string => Array.from({ length: n }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const err = (r: ToolResult) => (r.ok ? undefined : r.error);

describe('read_file', () => {
  it('reads a whole file, or a range of lines with a note saying which', async () => {
    t = tempWorkspace({ 'a.txt': lines(5) });
    expect((await runTool(readFileTool, { path: 'a.txt' }, t.ctx)).content).toBe(lines(5));
    const r = await runTool(readFileTool, { path: 'a.txt', startLine: 2, endLine: 3 }, t.ctx);
    expect(r.content).toBe('line 2\nline 3\n[lines 2-3 of 5]\n');
    expect(r.ok && r.data).toMatchObject({ startLine: 2, endLine: 3, totalLines: 5, truncated: false });
    expect((await runTool(readFileTool, { path: 'a.txt', startLine: 4, endLine: 99 }, t.ctx)).content).toBe(
      'line 4\nline 5\n[lines 4-5 of 5]\n',
    );
  });

  it('cuts at the size limit on a line boundary and says how to read on', async () => {
    t = tempWorkspace({ 'big.txt': lines(1000) }, { limits: { maxReadBytes: 64 } });
    const r = await runTool(readFileTool, { path: 'big.txt' }, t.ctx);
    expect(r.content).toMatch(
      /^line 1\nline 2\n[\s\S]*\n\[lines 1-\d+ of 1000; cut at 64 bytes: read on with startLine \d+\]\n$/,
    );
    const body = r.content.slice(0, r.content.lastIndexOf('['));
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(64);
    expect(r.ok && r.data).toMatchObject({ truncated: true });
    const oneLongLine = tempWorkspace({ 'l.txt': 'é'.repeat(100) }, { limits: { maxReadBytes: 11 } });
    const long = await runTool(readFileTool, { path: 'l.txt' }, oneLongLine.ctx);
    expect(long.content).toBe(
      `${'é'.repeat(5)}\n[line 1 is longer than 11 bytes: only its start is shown]\n`,
    );
    oneLongLine.cleanup();
  });

  it('answers errors the model can act on', async () => {
    t = tempWorkspace({ 'bin.dat': 'ab\0cd', 'a.txt': 'x\n', 'dir/f': '' });
    expect(err(await runTool(readFileTool, { path: 'nope.txt' }, t.ctx))).toMatchObject({
      code: 'not_found',
    });
    expect(err(await runTool(readFileTool, { path: 'bin.dat' }, t.ctx))?.code).toBe('binary_file');
    expect(err(await runTool(readFileTool, { path: 'dir' }, t.ctx))?.code).toBe('not_a_file');
    expect(err(await runTool(readFileTool, { path: 'a.txt', startLine: 5 }, t.ctx))?.message).toMatch(
      /has 1 lines; startLine 5/,
    );
    expect(err(await runTool(readFileTool, { path: 'a.txt', startLine: 0 }, t.ctx))?.code).toBe(
      'invalid_input',
    );
    expect(err(await runTool(readFileTool, { path: 42 }, t.ctx))?.message).toMatch(/read_file: path:/);
    expect(err(await runTool(readFileTool, { path: 'a.txt', extra: 1 }, t.ctx))?.code).toBe('invalid_input');
    expect((await runTool(readFileTool, { path: 'dir/f' }, t.ctx)).content).toBe('[dir/f is empty]\n');
  });
});

describe('write_file', () => {
  it('creates files and folders, replaces files, and refuses paths out of the workspace', async () => {
    t = tempWorkspace({ 'a.txt': 'old' });
    const created = await runTool(writeFileTool, { path: 'src/new.ts', content: 'export {};\n' }, t.ctx);
    expect(created).toMatchObject({ ok: true, content: 'created src/new.ts (11 bytes)' });
    expect(readFileSync(join(t.dir, 'src/new.ts'), 'utf8')).toBe('export {};\n');
    expect((await runTool(writeFileTool, { path: 'a.txt', content: 'new' }, t.ctx)).content).toBe(
      'replaced a.txt (3 bytes)',
    );
    const out = await runTool(writeFileTool, { path: '../outside/x', content: 'x' }, t.ctx);
    expect(err(out)?.code).toBe('path_refused');
    expect(out.content).toMatch(/^error \(path_refused\): \.\.\/outside\/x is outside the workspace/);
  });

  it('refuses content above the limit and writes nothing', async () => {
    t = tempWorkspace({}, { limits: { maxWriteBytes: 4 } });
    expect(err(await runTool(writeFileTool, { path: 'a', content: '12345' }, t.ctx))?.code).toBe('too_large');
    expect((await runTool(listFilesTool, {}, t.ctx)).content).toBe('[. is empty]');
  });
});

describe('list_files', () => {
  it('lists recursively in name order without .git and node_modules; links listed, not followed', async () => {
    t = tempWorkspace({
      'b.txt': '',
      'a/x.ts': '',
      'a/y/z.ts': '',
      '.git/HEAD': '',
      'node_modules/m/i.js': '',
    });
    symlinkSync(t.outside, join(t.dir, 'out'));
    const r = await runTool(listFilesTool, {}, t.ctx);
    expect(r.content).toBe(['a/', 'a/x.ts', 'a/y/', 'a/y/z.ts', 'b.txt', `out -> ${t.outside}`].join('\n'));
    expect((await runTool(listFilesTool, { path: 'a', recursive: false }, t.ctx)).content).toBe(
      'a/x.ts\na/y/',
    );
  });

  it('stops at the entry limit and says so', async () => {
    const files = Object.fromEntries(
      Array.from({ length: 20 }, (_, i) => [`f${String(i).padStart(2, '0')}`, '']),
    );
    t = tempWorkspace(files, { limits: { maxListEntries: 5 } });
    const r = await runTool(listFilesTool, {}, t.ctx);
    expect(r.content.split('\n')).toEqual([
      'f00',
      'f01',
      'f02',
      'f03',
      'f04',
      '[cut after 5 entries: list a subfolder, or recursive: false, to see the rest]',
    ]);
  });

  it('refuses a file and a folder outside', async () => {
    t = tempWorkspace({ 'a.txt': '' });
    writeFileSync(join(t.outside, 'o'), '');
    expect(err(await runTool(listFilesTool, { path: 'a.txt' }, t.ctx))?.code).toBe('not_a_file');
    expect(err(await runTool(listFilesTool, { path: '..' }, t.ctx))?.code).toBe('path_refused');
    expect(err(await runTool(listFilesTool, { path: 'missing' }, t.ctx))?.code).toBe('not_found');
  });
});
