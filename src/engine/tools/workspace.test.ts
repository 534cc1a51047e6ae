import {
  chmodSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempWorkspace, type TempWorkspace } from './temp-workspace.ts';
import { ToolError } from './tool-error.ts';
import { openWorkspace } from './workspace.ts';

let t: TempWorkspace;
afterEach(() => t.cleanup());

async function refusal(p: Promise<unknown>): Promise<ToolError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ToolError);
  return e as ToolError;
}

describe('workspace paths', () => {
  it('resolves relative paths inside the root, existing or not', async () => {
    t = tempWorkspace({ 'src/a.ts': 'x' });
    const ws = t.ctx.workspace;
    expect(await ws.resolve('src/a.ts', 'read')).toBe(join(ws.root, 'src/a.ts'));
    expect(await ws.resolve('./src/../src/new/b.ts', 'write')).toBe(join(ws.root, 'src/new/b.ts'));
    expect(ws.display(ws.root)).toBe('.');
  });

  it('refuses absolute paths and paths that climb out, saying what to give instead', async () => {
    t = tempWorkspace();
    const ws = t.ctx.workspace;
    const abs = await refusal(ws.resolve(join(ws.root, 'a.ts'), 'read'));
    expect(abs.code).toBe('path_refused');
    expect(abs.message).toMatch(/absolute path; give a path relative to the workspace root/);
    for (const p of ['../outside/x', 'src/../../x', '..', '~/x'])
      expect((await refusal(ws.resolve(p, 'write'))).code).toBe('path_refused');
    expect((await refusal(ws.resolve('', 'read'))).code).toBe('invalid_input');
    expect((await refusal(ws.resolve('a\0b', 'read'))).code).toBe('path_refused');
    expect((await refusal(ws.resolve('src/', 'write'))).message).toMatch(
      /src\/ names a folder; give the path of a file/,
    );
  });

  it('refuses symbolic links that lead out, for reading and for writing through them', async () => {
    t = tempWorkspace();
    writeFileSync(join(t.outside, 'secret'), 'top secret');
    symlinkSync(join(t.outside, 'secret'), join(t.dir, 'link-file'));
    symlinkSync(t.outside, join(t.dir, 'link-dir'));
    symlinkSync(join(t.outside, 'missing'), join(t.dir, 'dangling'));
    const ws = t.ctx.workspace;
    expect((await refusal(ws.resolve('link-file', 'read'))).message).toMatch(
      /outside the workspace \(a symbolic link/,
    );
    expect((await refusal(ws.resolve('link-dir/secret', 'read'))).code).toBe('path_refused');
    expect((await refusal(ws.resolve('link-dir/new/file', 'write'))).code).toBe('path_refused');
    expect((await refusal(ws.resolve('dangling', 'write'))).message).toMatch(
      /symbolic link to .*does not exist/,
    );
    expect(readFileSync(join(t.outside, 'secret'), 'utf8')).toBe('top secret');
  });

  it('follows symbolic links that stay inside', async () => {
    t = tempWorkspace({ 'real/a.txt': 'a' });
    symlinkSync('real', join(t.dir, 'alias'));
    const ws = t.ctx.workspace;
    expect(await ws.resolve('alias/a.txt', 'read')).toBe(join(ws.root, 'real/a.txt'));
  });

  it('refuses writes into .git but reads it', async () => {
    t = tempWorkspace({ '.git/HEAD': 'ref: refs/heads/main\n' });
    const ws = t.ctx.workspace;
    expect((await refusal(ws.resolve('.git/hooks/pre-commit', 'write'))).message).toMatch(/inside \.git/);
    expect(await ws.resolve('.git/HEAD', 'read')).toBe(join(ws.root, '.git/HEAD'));
  });

  it('writes whole files atomically, creating folders, keeping the mode', async () => {
    t = tempWorkspace();
    const ws = t.ctx.workspace;
    const abs = await ws.resolve('a/b/c.txt', 'write');
    await ws.writeAtomic(abs, 'hello');
    expect(readFileSync(abs, 'utf8')).toBe('hello');
    chmodSync(abs, 0o755);
    await ws.writeAtomic(abs, 'again');
    expect(statSync(abs).mode & 0o777).toBe(0o755);
    expect(readdirSync(join(ws.root, 'a/b'))).toEqual(['c.txt']);
    mkdirSync(join(t.dir, 'd'));
    expect((await refusal(ws.writeAtomic(join(ws.root, 'd'), 'x'))).code).toBe('not_a_file');
  });

  it('removes temporaries a killed writer left, keeping those of live writers', async () => {
    t = tempWorkspace({ 'a/x.txt': 'x' });
    const ws = t.ctx.workspace;
    // above Linux's pid_max: no such process can be alive
    const orphan = `.orchestra-tmp-99999999-${'0'.repeat(8)}`;
    const live = `.orchestra-tmp-${process.pid}-${'1'.repeat(8)}`;
    for (const name of [orphan, live]) writeFileSync(join(t.dir, 'a', name), 'half');
    await ws.writeAtomic(await ws.resolve('a/y.txt', 'write'), 'y');
    expect(readdirSync(join(t.dir, 'a')).sort()).toEqual([live, 'x.txt', 'y.txt']);
  });

  it('refuses a workspace that is not a directory', () => {
    t = tempWorkspace();
    expect(() => openWorkspace(join(t.dir, 'nope'))).toThrow(/is not a directory/);
  });
});
