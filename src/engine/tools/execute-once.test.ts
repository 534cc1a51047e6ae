import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openEffectJournal, type EffectJournalStore } from '../../store/effect-journal-store.ts';
import { executeOnce } from './execute-once.ts';
import { planTool } from './run-tool.ts';
import { tempWorkspace, type TempWorkspace } from './temp-workspace.ts';
import { appToolsFor } from './tool-registry.ts';

let t: TempWorkspace;
let journal: EffectJournalStore;
afterEach(() => {
  t.cleanup();
  journal.close();
});

const [write, patch, run, read] = appToolsFor(['write_file', 'patch_file', 'run_command', 'read_file']);
const read1 = (p: string) => readFileSync(join(t.dir, p), 'utf8');

function setup(files: Record<string, string> = {}): void {
  t = tempWorkspace(files);
  journal = openEffectJournal({ path: ':memory:' });
}

/** what a crash during the call leaves: its plan journaled, no result */
async function crashedDuring(tool: typeof write, input: unknown, applied: () => void): Promise<void> {
  const { inputHash } = await import('./execute-once.ts');
  const plan = await planTool(tool!, input, t.ctx);
  journal.started({ key: t.ctx.idempotencyKey, tool: tool!.name, inputHash: inputHash(input), plan });
  applied();
}

describe('executeOnce', () => {
  it('answers a finished key from the journal without applying it again', async () => {
    setup();
    const input = { path: 'a.txt', content: 'one\n' };
    const first = await executeOnce(write!, input, t.ctx, journal);
    writeFileSync(join(t.dir, 'a.txt'), 'edited later\n');
    expect(await executeOnce(write!, input, t.ctx, journal)).toEqual(first);
    expect(read1('a.txt')).toBe('edited later\n');
  });

  it('after a crash that applied a patch, does not apply it again', async () => {
    setup({ 'log.txt': 'a\n' });
    const input = { path: 'log.txt', search: 'a\n', replace: 'a\nb\n' };
    await crashedDuring(patch, input, () => writeFileSync(join(t.dir, 'log.txt'), 'a\nb\n'));
    const r = await executeOnce(patch!, input, t.ctx, journal);
    expect(r).toMatchObject({ ok: true, data: { recovered: true } });
    expect(read1('log.txt')).toBe('a\nb\n');
    expect(journal.get(t.ctx.idempotencyKey)?.result).toEqual(r);
  });

  it('after a crash before the write, applies it once', async () => {
    setup({ 'log.txt': 'a\n' });
    const input = { path: 'log.txt', search: 'a\n', replace: 'a\nb\n' };
    await crashedDuring(patch, input, () => {});
    expect((await executeOnce(patch!, input, t.ctx, journal)).ok).toBe(true);
    expect(read1('log.txt')).toBe('a\nb\n');
  });

  it('after a crash, leaves a file changed by someone else alone and says so', async () => {
    setup({ 'a.txt': 'old\n' });
    const input = { path: 'a.txt', content: 'new\n' };
    await crashedDuring(write, input, () => writeFileSync(join(t.dir, 'a.txt'), 'other\n'));
    const r = await executeOnce(write!, input, t.ctx, journal);
    expect(r).toMatchObject({ ok: false, error: { code: 'interrupted' } });
    expect(r.content).toMatch(/neither its old nor its new content/);
    expect(read1('a.txt')).toBe('other\n');
  });

  it('does not run again a command a crash interrupted', async () => {
    setup();
    const input = { command: 'echo x >> ran.txt' };
    await crashedDuring(run, input, () => {});
    const r = await executeOnce(run!, input, t.ctx, journal);
    expect(r).toMatchObject({ ok: false, error: { code: 'interrupted' } });
    expect(existsSync(join(t.dir, 'ran.txt'))).toBe(false);
  });

  it('leaves a cancelled command started in the journal, so a resume knows it was interrupted', async () => {
    setup();
    const abort = new AbortController();
    const p = executeOnce(run!, { command: 'sleep 30' }, { ...t.ctx, signal: abort.signal }, journal);
    setTimeout(() => abort.abort(), 50);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(journal.get(t.ctx.idempotencyKey)).toMatchObject({ tool: 'run_command', result: undefined });
    expect((await executeOnce(run!, { command: 'sleep 30' }, t.ctx, journal)).content).toMatch(/interrupted/);
  });

  it('refuses one key for two different calls, and journals no read', async () => {
    setup({ 'a.txt': 'x' });
    await executeOnce(write!, { path: 'a.txt', content: '1' }, t.ctx, journal);
    await expect(executeOnce(write!, { path: 'a.txt', content: '2' }, t.ctx, journal)).rejects.toThrow(
      /idempotency key run1\/agent\/1\/0 was used for another call/,
    );
    const other = { ...t.ctx, idempotencyKey: 'read-key' };
    await executeOnce(read!, { path: 'a.txt' }, other, journal);
    expect(journal.get('read-key')).toBeUndefined();
  });
});
