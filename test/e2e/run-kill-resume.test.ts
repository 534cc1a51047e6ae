// Issue 17's durability acceptance: `orchestra run` as a real child process, killed with SIGKILL
// right after event N for 20 random N (two runs killed ten times each, resumed after every kill
// with `orchestra runs resume`): the final workspace, the agents' results, the model usage and the
// decisions equal an uninterrupted run's, and no tool effect is logged (applied) twice. The child freezes after committing event N (ORCHESTRA_RUN_PAUSE_AT_SEQ), so each
// kill lands exactly there; the pipeline is two agents of the main job (the architect, whose note
// flows on, and an implementer whose acceptance check fails and heals) on the emulated Mac mini.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRunStore } from '../../src/store/run-store.ts';
import { startCli } from './cli-process.ts';
import { FLEET, exitOf, outcomeOf, runIdOf, smallPipeline } from './run-outcome.ts';

/** seeded, so a failure names kill points that reproduce */
function killPoints(total: number, n: number, seed: number): number[] {
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31);
  const points = new Set<number>();
  while (points.size < Math.min(n, total - 3)) points.add(3 + Math.floor(next() * (total - 3)));
  return [...points].sort((a, b) => a - b);
}

describe('orchestra run: kill -9 at 20 points, resume', () => {
  it('finishes every killed run exactly like an uninterrupted one', { timeout: 900_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-kill-'));
    const pipeline = smallPipeline(dir);
    const store = join(dir, 'runs.sqlite');
    const run = (ws: string, env: Record<string, string> = {}) =>
      startCli(['run', pipeline, '--config', FLEET, '--emulate', '--store', store, '--workspace', ws], env);

    const refWs = join(dir, 'ref');
    const ref = run(refWs);
    expect(await exitOf(ref)).toBe(0);
    const refId = runIdOf(ref.output());
    const db = openRunStore(store);
    const refEvents = db.events(refId);
    const expected = outcomeOf(refEvents, refWs);
    expect(expected.twice).toEqual([]);
    expect(expected.files['src/muldiv.js']).toContain('division by zero');

    const points = killPoints(refEvents.length, 20, 17);
    expect(points).toHaveLength(20);
    // two chains of ten kills each, run side by side: each chain kills one run at its points in
    // order (run, then resume after each kill), then lets it finish
    const chain = async (name: string, kills: number[]): Promise<void> => {
      const ws = join(dir, name);
      mkdirSync(ws);
      let id = '';
      for (const n of kills) {
        const env = { ORCHESTRA_RUN_PAUSE_AT_SEQ: String(n) };
        const child = id ? startCli(['runs', 'resume', id, '--store', store], env) : run(ws, env);
        await child.waitFor(new RegExp(`paused after event ${n}$`), 120_000);
        await child.kill('SIGKILL');
        id ||= runIdOf(child.output());
      }
      const resumed = startCli(['runs', 'resume', id, '--store', store]);
      const code = await exitOf(resumed);
      expect({ name, code, tail: code === 0 ? '' : resumed.output().slice(-2000) }).toEqual({
        name,
        code: 0,
        tail: '',
      });
      const got = outcomeOf(db.events(id), ws);
      expect({ name, ...got }).toEqual({ name, ...expected });
      // every kill point was reached: the run was really interrupted there
      expect(db.events(id).length).toBeGreaterThanOrEqual(kills.at(-1)!);
    };
    await Promise.all([
      chain(
        'chain-a',
        points.filter((_, i) => i % 2 === 0),
      ),
      chain(
        'chain-b',
        points.filter((_, i) => i % 2 === 1),
      ),
    ]);
    db.close();
  });
});
