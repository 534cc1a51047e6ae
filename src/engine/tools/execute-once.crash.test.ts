// kill -9 at random points during a series of effects, then resume: every effect applied once.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../lib/random.ts';
import { appendLines } from './crash-child.ts';
import { tempWorkspace } from './temp-workspace.ts';

const NODE = resolve(import.meta.dirname, '../../../node_modules/.bin/node');
const CHILD = resolve(import.meta.dirname, 'crash-child.ts');
const COUNT = 100;

/** runs the child and SIGKILLs it `delayMs` (real time) after it is ready; whether it had finished */
function runAndKill(dir: string, journal: string, delayMs: number): Promise<boolean> {
  return new Promise((done, fail) => {
    const child = spawn(NODE, [CHILD, dir, journal, String(COUNT)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      if (!out.includes('ready') && (out += c.toString()).includes('ready'))
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      else out += c.toString();
    });
    child.on('error', fail);
    child.on('close', () => done(out.includes('done')));
  });
}

describe('executeOnce across kill -9', () => {
  it('applies every effect exactly once when killed at random points and resumed', async () => {
    const rng = seededRandom(17);
    let killedMidway = 0;
    for (let round = 0; round < 3; round++) {
      const t = tempWorkspace({ 'log.txt': 'line 0\n' });
      const journal = join(t.outside, 'journal.db');
      const finished = await runAndKill(t.dir, journal, Math.floor(rng.next() * 100));
      if (!finished) killedMidway++;
      await appendLines(t.dir, journal, COUNT);
      const expected = Array.from({ length: COUNT + 1 }, (_, i) => `line ${i}\n`).join('');
      expect(readFileSync(join(t.dir, 'log.txt'), 'utf8')).toBe(expected);
      expect(readdirSync(join(t.dir, 'w')).length).toBe(COUNT / 5);
      t.cleanup();
    }
    // the test means something only if some kills landed before the end
    expect(killedMidway).toBeGreaterThan(0);
  }, 60_000);
});
