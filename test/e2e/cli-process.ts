// `orchestra` commands as real child processes (src/cli/bin.ts on this Node), for tests that kill
// and restart them: what a user's shell does, sockets and signals included.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url));

export interface CliProcess {
  proc: ChildProcess;
  /** everything it printed so far, stdout and stderr */
  output: () => string;
  /** resolves with the first line matching `re` (already printed or to come) */
  waitFor: (re: RegExp, timeoutMs?: number) => Promise<string>;
  /** sends `signal` and resolves when it has exited */
  kill: (signal?: NodeJS.Signals) => Promise<void>;
}

/**
 * `group`: the child leads its own process group, as a shell's foreground job does, so a test can
 * send a signal to the whole group (`process.kill(-pid, 'SIGINT')`) the way a terminal's Ctrl-C does.
 */
export function startCli(
  args: string[],
  env: Record<string, string> = {},
  o: { group?: boolean } = {},
): CliProcess {
  const proc = spawn(process.execPath, [BIN, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
    ...(o.group ? { detached: true } : {}),
  });
  let text = '';
  const waiters = new Set<() => void>();
  const onData = (b: Buffer): void => {
    text += b.toString();
    for (const w of waiters) w();
  };
  proc.stdout.on('data', onData);
  proc.stderr.on('data', onData);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  return {
    proc,
    output: () => text,
    waitFor: (re, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const line = text.split('\n').find((l) => re.test(l));
          if (line === undefined) return;
          cleanup();
          resolve(line);
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no line matching ${re} within ${timeoutMs} ms; output:\n${text}`));
        }, timeoutMs);
        const onExit = (): void => {
          cleanup();
          reject(new Error(`exited before a line matching ${re}; output:\n${text}`));
        };
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
          proc.off('exit', onExit);
        };
        waiters.add(check);
        proc.once('exit', onExit);
        check();
      }),
    kill: async (signal = 'SIGTERM') => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      await exited;
    },
  };
}

/** a TCP port free right now on 127.0.0.1 */
export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
