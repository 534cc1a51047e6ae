// The run's workspace: created from the pipeline's template, checkpointed as a full copy after every
// passed check (a rollback restores exactly that copy), and the command acceptance checks that run
// in it. Checkpoints live next to the workspace, never inside it, so the agents cannot touch them.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from '../engine/engine-types.ts';

export interface RunWorkspace {
  dir: string;
  /** where checkpoints of this run are kept */
  checkpointsDir: string;
  /** copies the workspace to checkpoint `id` (replacing one of that id) and returns its path */
  checkpoint(id: string): string;
  /** makes the workspace exactly the checkpoint (or the template copy for `initial`) */
  restore(path: string): void;
}

export function prepareWorkspace(dir: string, checkpointsDir: string, template?: string): RunWorkspace {
  mkdirSync(dir, { recursive: true });
  mkdirSync(checkpointsDir, { recursive: true });
  if (template !== undefined && readdirSync(dir).length === 0) {
    if (!existsSync(template)) throw new Error(`the workspace template ${template} does not exist`);
    cpSync(template, dir, { recursive: true });
  }
  return openWorkspace(dir, checkpointsDir);
}

export function openWorkspace(dir: string, checkpointsDir: string): RunWorkspace {
  return {
    dir,
    checkpointsDir,
    checkpoint(id) {
      const target = join(checkpointsDir, id);
      rmSync(target, { recursive: true, force: true });
      cpSync(dir, target, { recursive: true });
      return target;
    },
    restore(path) {
      if (!existsSync(path)) throw new Error(`checkpoint ${path} is missing: cannot roll back`);
      for (const entry of readdirSync(dir)) rmSync(join(dir, entry), { recursive: true, force: true });
      cpSync(path, dir, { recursive: true });
    },
  };
}

const OUTPUT_CAP = 8000;

/**
 * Runs `command` with `sh -c` in `cwd`; passes on exit 0. Output (stdout+stderr) capped. The
 * command runs in its own process group: a Ctrl-C in the terminal reaches the run (which stops
 * cleanly and aborts `signal`), never the check itself, whose death would otherwise race the
 * interrupt and be logged as a failed check. A timeout or the abort kills the whole group.
 */
export function runCheckCommand(
  command: string,
  cwd: string,
  timeoutSeconds: number,
  signal?: AbortSignal,
): Promise<CheckResult> {
  return new Promise((resolve, reject) => {
    const aborted = (): void =>
      reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal?.aborted) return aborted();
    const child = spawn('sh', ['-c', command], {
      cwd,
      env: { ...process.env, NODE_TEST_CONTEXT: undefined, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // the group is gone already
      }
    };
    signal?.addEventListener('abort', killGroup, { once: true });
    let out = '';
    const take = (b: Buffer): void => {
      if (out.length < OUTPUT_CAP * 2) out += b.toString('utf8');
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    const timer = setTimeout(killGroup, timeoutSeconds * 1000);
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', killGroup);
    };
    child.on('error', (e) => {
      done();
      if (signal?.aborted) return aborted();
      resolve({ passed: false, output: `could not run ${command}: ${e.message}` });
    });
    child.on('close', (code, sig) => {
      done();
      // interrupted, not failed: the check runs again when the run resumes
      if (signal?.aborted) return aborted();
      const tail = out.length > OUTPUT_CAP ? `[...]\n${out.slice(-OUTPUT_CAP)}` : out;
      if (code === 0) resolve({ passed: true, output: tail });
      else
        resolve({
          passed: false,
          output: `${command} ${sig ? `was killed (${sig}, timeout ${timeoutSeconds} s)` : `exited with ${code}`}\n${tail}`,
        });
    });
  });
}
