import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRun } from '../../runner/run-session.ts';
import { openRunStore } from '../../store/run-store.ts';
import { main } from '../main.ts';

const ex = (f: string): string => new URL(`../../../examples/${f}`, import.meta.url).pathname;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('orchestra runs', () => {
  it('lists and shows a planned run from its store', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runs-cli-'));
    const storeFile = join(dir, 'runs.sqlite');
    const store = openRunStore(storeFile);
    const pipelineFile = ex('seed/pipeline-v1.yaml');
    const fleetFile = ex('seed/fleet-1-server.yaml');
    createRun(
      store,
      {
        pipelineFile,
        pipelineText: readFileSync(pipelineFile, 'utf8'),
        fleetFile,
        fleetText: readFileSync(fleetFile, 'utf8'),
        workspace: join(dir, 'ws'),
        strategy: 'best',
        emulated: false,
      },
      { now: Date.UTC(2026, 0, 1), runId: 'run-one' },
    );
    store.close();
    const list = await cli('runs', 'list', '--store', storeFile);
    expect(list.code).toBe(0);
    expect(list.out).toMatch(/^run-one\s+running\s+orchestra-14 /m);
    const show = await cli('runs', 'show', 'run-one', '--store', storeFile, '--html', join(dir, 'r.html'));
    expect(show.code).toBe(0);
    expect(show.out).toMatch(/planned 47\.80 min, strategy \w+/);
    expect(show.out).toMatch(/chief-architect\s+pending/);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/<svg/);
    const missing = await cli('runs', 'show', 'nope', '--store', storeFile);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no run "nope"/);
    const cancel = await cli('runs', 'cancel', 'run-one', '--store', storeFile);
    expect(cancel.out).toMatch(/cancelled/);
    expect((await cli('runs', 'list', '--store', storeFile)).out).toMatch(/^run-one\s+cancelled/m);
  });

  it('names the file and key of a bad pipeline', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runs-cli-'));
    const p = join(dir, 'p.yaml');
    writeFileSync(p, 'agents: [{ id: a, model: qwen-quality, work: 3m, tools: [delete_all] }]');
    const r = await cli(
      'run',
      p,
      '--config',
      ex('seed/fleet-1-server.yaml'),
      '--store',
      join(dir, 's.sqlite'),
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/p\.yaml: agents\[0\]\.tools\[0\]: expected one of .*found "delete_all"/);
  });

  it('names the key of an unknown model, arbiter or specialist, and creates no run', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'runs-cli-'));
    const p = join(dir, 'p.yaml');
    writeFileSync(
      p,
      [
        'arbiter: gone',
        'agents:',
        '  - { id: a, model: nope, work: 3m }',
        '  - { id: b, model: qwen-fast, specialists: [qwen-fast, nah], work: 2m }',
      ].join('\n'),
    );
    const store = join(dir, 's.sqlite');
    const r = await cli('run', p, '--config', ex('seed/fleet-1-server.yaml'), '--store', store);
    expect(r.code).toBe(2);
    const lines = r.err.split('\n').filter((l) => l.includes('p.yaml'));
    expect(lines).toEqual([
      expect.stringMatching(
        /p\.yaml: agents\[0\]\.model: expected one of the models .*qwen-fast.*, found "nope" \(agent a\)$/,
      ),
      expect.stringMatching(
        /p\.yaml: agents\[1\]\.specialists\[1\]: expected one of .*, found "nah" \(agent b\)$/,
      ),
      expect.stringMatching(/p\.yaml: arbiter: expected one of .*, found "gone"$/),
    ]);
    expect((await cli('runs', 'list', '--store', store)).out).not.toMatch(/run-/);
  });

  it('refuses unknown run ids and subcommands with a usage error', async () => {
    const store = join(mkdtempSync(join(tmpdir(), 'runs-cli-')), 's.sqlite');
    for (const sub of [['show'], ['resume'], ['answer', 'hello'], ['cancel']]) {
      const r = await cli('runs', sub[0]!, 'run-nope', ...sub.slice(1), '--store', store);
      expect({ sub: sub[0], code: r.code }).toEqual({ sub: sub[0], code: 2 });
      expect(r.err).toMatch(/no run "run-nope" in .*s\.sqlite \(orchestra runs list shows the runs\)/);
    }
    const bad = await cli('runs', 'frob', '--store', store);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/expected one of list, show, resume, answer, cancel, found "frob"/);
  });
});
