import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.ts';
import { tempWorkspace, type TempWorkspace } from './temp-workspace.ts';
import { treeDigest } from './tree-digest.ts';
import { workspaceCheckpoints } from './workspace-checkpoint.ts';

let t: TempWorkspace;
afterEach(() => t.cleanup());

describe('workspace checkpoints', () => {
  it('rolls back exactly: added files go, changed and deleted ones come back, modes and links too', async () => {
    t = tempWorkspace({ 'src/a.ts': 'a', 'src/b.ts': 'b', 'README.md': 'r' });
    chmodSync(join(t.dir, 'src/a.ts'), 0o755);
    symlinkSync('src/a.ts', join(t.dir, 'link'));
    const cps = await workspaceCheckpoints(t.dir, join(t.outside, 'cps'), { clock: new ManualClock(5) });
    const before = await treeDigest(t.dir);
    expect(await cps.create('after-check-1', 'tests pass')).toEqual({
      id: 'after-check-1',
      createdAt: 5,
      label: 'tests pass',
    });

    writeFileSync(join(t.dir, 'src/a.ts'), 'changed');
    chmodSync(join(t.dir, 'src/a.ts'), 0o644);
    rmSync(join(t.dir, 'src/b.ts'));
    mkdirSync(join(t.dir, 'new/deep'), { recursive: true });
    writeFileSync(join(t.dir, 'new/deep/c.ts'), 'c');
    rmSync(join(t.dir, 'link'));
    symlinkSync('README.md', join(t.dir, 'link'));
    expect(await treeDigest(t.dir)).not.toBe(before);

    await cps.restore('after-check-1');
    expect(await treeDigest(t.dir)).toBe(before);
    expect(statSync(join(t.dir, 'src/a.ts')).mode & 0o777).toBe(0o755);
    // restoring again (as after a crash half way) changes nothing
    await cps.restore('after-check-1');
    expect(await treeDigest(t.dir)).toBe(before);
  });

  it('keeps a checkpoint once per id, lists them oldest first, and removes them', async () => {
    t = tempWorkspace({ f: '1' });
    const clock = new ManualClock(0);
    const cps = await workspaceCheckpoints(t.dir, join(t.outside, 'cps'), { clock });
    await cps.create('one');
    writeFileSync(join(t.dir, 'f'), '2');
    await clock.advance(10);
    expect(await cps.create('one')).toEqual({ id: 'one', createdAt: 0 });
    await cps.create('two');
    expect((await cps.list()).map((c) => c.id)).toEqual(['one', 'two']);
    await cps.restore('one');
    expect(readFileSync(join(t.dir, 'f'), 'utf8')).toBe('1');
    await cps.remove('one');
    expect(await cps.get('one')).toBeUndefined();
    await expect(cps.restore('one')).rejects.toThrow(/no checkpoint "one"/);
  });

  it('leaves excluded top-level entries alone', async () => {
    t = tempWorkspace({ 'node_modules/x/index.js': 'x', 'src/a.ts': 'a' });
    const cps = await workspaceCheckpoints(t.dir, join(t.outside, 'cps'), { exclude: ['node_modules'] });
    await cps.create('c');
    writeFileSync(join(t.dir, 'node_modules/x/index.js'), 'y');
    writeFileSync(join(t.dir, 'src/a.ts'), 'b');
    await cps.restore('c');
    expect(readFileSync(join(t.dir, 'src/a.ts'), 'utf8')).toBe('a');
    expect(readFileSync(join(t.dir, 'node_modules/x/index.js'), 'utf8')).toBe('y');
  });

  it('refuses bad ids and a checkpoints folder inside the workspace', async () => {
    t = tempWorkspace();
    await expect(workspaceCheckpoints(t.dir, join(t.dir, '.cps'))).rejects.toThrow(
      /must not contain each other/,
    );
    const cps = await workspaceCheckpoints(t.dir, join(t.outside, 'cps'));
    await expect(cps.create('../x')).rejects.toThrow(/checkpoint id "\.\.\/x": expected letters/);
  });
});
