import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../lib/clock.ts';
import { engineParts } from '../../runner/engine-port.ts';
import { closeRunTools, toolsDbPath, toolsFor } from './run-tools.ts';
import { tempWorkspace, type TempWorkspace } from './temp-workspace.ts';

let t: TempWorkspace;
afterEach(() => {
  closeRunTools();
  t.cleanup();
});

const ctx = (agentId: string, key: string) => ({
  runId: 'run1',
  agentId,
  idempotencyKey: key,
  signal: new AbortController().signal,
  clock: new ManualClock(0),
});

describe('toolsFor (the runner’s entry point)', () => {
  it('is what the runner loads, with the signature it calls', () => {
    t = tempWorkspace();
    const parts = engineParts();
    const tools = parts.toolsFor(['read_file', 'run_command'], t.dir, 'run1');
    expect(tools.map((x) => [x.name, x.sideEffects])).toEqual([
      ['read_file', false],
      ['run_command', true],
    ]);
  });

  it('shares notes between the agents of a run, and keeps journal and notes beside the workspace', async () => {
    t = tempWorkspace();
    const [store] = toolsFor(['store_note'], t.dir, 'run1');
    await store!.execute(
      { type: 'decision', title: 'Parser in src/parse.ts', body: 'recursive descent' } as never,
      ctx('architect', 'run1/architect/0/0'),
    );
    const [search] = toolsFor(['search_notes'], t.dir, 'run1');
    const found = await search!.execute(
      { query: 'parser' } as never,
      ctx('implementer', 'run1/implementer/0/0'),
    );
    expect(found.output).toMatch(/\[decision\] Parser in src\/parse\.ts .*by architect/);
    expect(existsSync(toolsDbPath(t.dir))).toBe(true);
    expect(existsSync(join(t.dir, '.tools.db'))).toBe(false);
  });

  it('answers a key executed before a restart from the journal on disk', async () => {
    t = tempWorkspace();
    const [write] = toolsFor(['write_file'], t.dir, 'run1');
    const input = { path: 'a.txt', content: 'one' } as never;
    const first = await write!.execute(input, ctx('coder', 'run1/coder/1/0'));
    closeRunTools(); // as a new process would
    const [again] = toolsFor(['write_file'], t.dir, 'run1');
    expect(await again!.execute(input, ctx('coder', 'run1/coder/1/0'))).toEqual(first);
    expect(readFileSync(join(t.dir, 'a.txt'), 'utf8')).toBe('one');
  });

  it('runs commands with a search path and no credentials when the caller passes no environment', async () => {
    t = tempWorkspace();
    const [run] = toolsFor(['run_command'], t.dir, 'run1');
    const r = await run!.execute({ command: 'env' } as never, ctx('coder', 'run1/coder/2/0'));
    expect(r.output.split('\n').filter((l) => /^[A-Z_]+=/.test(l) && !/^(PWD|SHLVL|_)=/.test(l))).toEqual([
      'PATH=/usr/local/bin:/usr/bin:/bin',
    ]);
  });
});
