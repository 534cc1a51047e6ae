// The dashboard's resume starts a detached process with `runs resume ID --store FILE` and the
// gateway's environment, its output appended to the run's log; a bad id starts nothing.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { detachedResume } from './resume-process.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('detachedResume', () => {
  it('runs the resume command detached, with the environment, into the run log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'resume-'));
    dirs.push(dir);
    const start = detachedResume({
      storePath: join(dir, 'store.sqlite'),
      env: { RESUME_TEST: 'seen' },
      logDir: join(dir, 'logs'),
      // stands in for `node bin/orchestra.js`: prints what it was asked and its environment
      command: [
        process.execPath,
        '-e',
        'console.log(JSON.stringify({ argv: process.argv.slice(1), env: process.env.RESUME_TEST }))',
      ],
    });
    const started = start('run-20260101-abc');
    expect(started.pid).toBeGreaterThan(0);
    expect(started.logFile).toBe(join(dir, 'logs', 'run-20260101-abc.resume.log'));
    await expect
      .poll(() => (existsSync(started.logFile) ? readFileSync(started.logFile, 'utf8') : ''), {
        timeout: 10_000,
      })
      .toContain('seen');
    expect(JSON.parse(readFileSync(started.logFile, 'utf8'))).toEqual({
      argv: ['runs', 'resume', 'run-20260101-abc', '--store', join(dir, 'store.sqlite')],
      env: 'seen',
    });
    expect(() => start('../etc')).toThrow(/not a run id/);
  });
});
