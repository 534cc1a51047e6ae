// Resumes a run in a process of its own, as `orchestra runs resume ID` typed in a shell would: the
// dashboard's answer button records the answer (run-answer.ts) and starts this, so the run goes on
// after the answer as `orchestra runs answer` does, without tying the run to the gateway's process
// (the run outlives a gateway restart; the run store's claim keeps one executor per run).
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../core/errors/index.ts';

const BIN = fileURLToPath(new URL('../../bin/orchestra.js', import.meta.url));

export interface ResumeStarted {
  pid: number;
  /** where the process writes its progress and summary */
  logFile: string;
}

/** starts the executor of `runId`; throws AppError when no process could be started */
export type ResumeStarter = (runId: string) => ResumeStarted;

export interface DetachedResumeOptions {
  storePath: string;
  /** the environment the run needs (cloud API keys): the gateway's own */
  env: Readonly<Record<string, string | undefined>>;
  /** folder of the logs, one per run (`ID.resume.log`, appended) */
  logDir: string;
  /** the program and its first arguments; `node bin/orchestra.js` on this Node by default */
  command?: readonly string[];
}

export function detachedResume(o: DetachedResumeOptions): ResumeStarter {
  const [program, ...head] = o.command ?? [process.execPath, BIN];
  return (runId) => {
    if (!/^[\w.-]+$/.test(runId)) throw new AppError('bad_request', `not a run id: ${JSON.stringify(runId)}`);
    mkdirSync(o.logDir, { recursive: true });
    const logFile = join(o.logDir, `${runId}.resume.log`);
    const fd = openSync(logFile, 'a');
    try {
      const child = spawn(program!, [...head, 'runs', 'resume', runId, '--store', o.storePath], {
        detached: true,
        stdio: ['ignore', fd, fd],
        env: { ...o.env },
      });
      // a failure to start after the spawn call (the program vanished) goes to the log's reader
      child.on('error', () => {});
      if (child.pid === undefined)
        throw new AppError('internal', `could not start "orchestra runs resume ${runId}" (see ${logFile})`);
      child.unref();
      return { pid: child.pid, logFile };
    } finally {
      closeSync(fd);
    }
  };
}
