// The acceptance check's command: passes on exit 0, reports the output of a failure, and runs in
// its own process group, so a terminal's Ctrl-C (sent to the run's group) never reaches it and an
// abort or a timeout kills everything it started.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCheckCommand } from './run-workspace.ts';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

async function until(cond: () => boolean, ms = 5000): Promise<void> {
  for (const t0 = Date.now(); !cond();) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('runCheckCommand', () => {
  it('passes on exit 0 and reports the exit code and output of a failure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-'));
    expect(await runCheckCommand('true', dir, 10)).toEqual({ passed: true, output: '' });
    const failed = await runCheckCommand('echo broken; exit 3', dir, 10);
    expect(failed).toEqual({ passed: false, output: 'echo broken; exit 3 exited with 3\nbroken\n' });
  });

  it('runs in its own process group; an abort kills the group and is not a failed check', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-'));
    const abort = new AbortController();
    const run = runCheckCommand('sleep 30 & echo $! > bg.pid; echo $$ > sh.pid; wait', dir, 60, abort.signal);
    const pidOf = (f: string): number => Number(readFileSync(join(dir, f), 'utf8').trim() || NaN);
    await until(() => {
      try {
        return pidOf('bg.pid') > 0 && pidOf('sh.pid') > 0;
      } catch {
        return false;
      }
    });
    const group = (pid: number): string =>
      execFileSync('ps', ['-o', 'pgid=', '-p', String(pid)])
        .toString()
        .trim();
    expect(group(pidOf('sh.pid'))).toBe(String(pidOf('sh.pid')));
    expect(group(pidOf('sh.pid'))).not.toBe(group(process.pid));
    abort.abort(new Error('interrupted'));
    await expect(run).rejects.toThrow('interrupted');
    await until(() => !alive(pidOf('bg.pid')));
  });

  it('kills the whole group on timeout, background children included', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'check-'));
    const r = await runCheckCommand('sleep 30 & echo $! > bg.pid; wait', dir, 0.3);
    expect(r.passed).toBe(false);
    expect(r.output).toMatch(/was killed \(SIGKILL, timeout 0.3 s\)/);
    const bg = Number(readFileSync(join(dir, 'bg.pid'), 'utf8'));
    await until(() => !alive(bg));
  });
});
