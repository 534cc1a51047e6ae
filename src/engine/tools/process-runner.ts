// Runs one command as the leader of its own process group, so that a timeout, an abort or the
// leader's exit ends everything it started (a test runner's workers, a `sleep &`), not only the
// shell. Timeouts are real time: a child process runs on the machine's clock, not a virtual one.
// A process that leaves the group (setsid, a daemon) is out of reach: that needs a container.
import { spawn } from 'node:child_process';
import { CappedOutput } from './capped-output.ts';

export interface ProcessSpec {
  /** the executable and its arguments, passed without a shell */
  file: string;
  args: readonly string[];
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  maxOutputBytes: number;
  signal?: AbortSignal;
}

export interface ProcessOutcome {
  /** null when the process was killed or could not start */
  exitCode: number | null;
  /** the signal that ended the leader, e.g. SIGKILL */
  exitSignal: string | null;
  timedOut: boolean;
  aborted: boolean;
  /** stdout and stderr interleaved as they came, capped */
  output: string;
  outputBytes: number;
  omittedBytes: number;
  durationMs: number;
  /** why the process could not start (ENOENT, EACCES) */
  spawnError?: string;
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group is gone already
  }
}

export function runProcess(spec: ProcessSpec): Promise<ProcessOutcome> {
  const started = performance.now();
  const output = new CappedOutput(spec.maxOutputBytes);
  return new Promise((resolve) => {
    let timedOut = false;
    let aborted = spec.signal?.aborted ?? false;
    let spawnError: string | undefined;
    let exit: { code: number | null; signal: string | null } = { code: null, signal: null };
    const child = spawn(spec.file, [...spec.args], {
      cwd: spec.cwd,
      env: spec.env,
      detached: true, // its own process group (and session): killable as a whole
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, spec.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      killGroup(child.pid);
    };
    spec.signal?.addEventListener('abort', onAbort, { once: true });
    if (aborted) onAbort();
    child.stdout.on('data', (c: Buffer) => output.push(c));
    child.stderr.on('data', (c: Buffer) => output.push(c));
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal };
      // what the command left running in its group would hold the pipes open and outlive the call
      killGroup(child.pid);
    });
    child.on('close', () => {
      clearTimeout(timer);
      spec.signal?.removeEventListener('abort', onAbort);
      resolve({
        exitCode: spawnError === undefined ? exit.code : null,
        exitSignal: exit.signal,
        timedOut,
        aborted,
        output: output.text(),
        outputBytes: output.totalBytes,
        omittedBytes: output.omittedBytes,
        durationMs: Math.round(performance.now() - started),
        ...(spawnError === undefined ? {} : { spawnError }),
      });
    });
  });
}
