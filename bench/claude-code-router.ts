// claude-code-router (the proxy Claude Code users pick: Anthropic face in, OpenAI-compatible out) for
// the gateway benchmark. Installed pinned into the bench's cache, never a dependency of the project,
// and run headless against the bench's emulators: its own HOME holds its config.json, with one
// provider per emulated server (their OpenAI-compatible /v1/chat/completions). Bench code only.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Child } from './gateway-bench-processes.ts';
import { cpuMsOf, runQueueMsOf } from './gateway-bench-processes.ts';

export const CCR_PACKAGE = '@musistudio/claude-code-router';
/** 1.0.73 installs and runs headless; 3.x needs a package the registry does not have */
export const CCR_VERSION = '1.0.73';

/** where the bench keeps what it installs (BENCH_CACHE_DIR, or ~/.cache/orchestra-bench) */
function cacheDir(): string {
  return process.env.BENCH_CACHE_DIR ?? join(homedir(), '.cache', 'orchestra-bench');
}

/** the CLI of the pinned version, installed into the cache if it is not there; a reason if it cannot be */
export function ensureCcr(): { cli: string } | { skipped: string } {
  const prefix = join(cacheDir(), `claude-code-router-${CCR_VERSION}`);
  const cli = join(prefix, 'node_modules', ...CCR_PACKAGE.split('/'), 'dist', 'cli.js');
  if (existsSync(cli)) return { cli };
  mkdirSync(prefix, { recursive: true });
  const r = spawnSync(
    'npm',
    ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--no-save', `${CCR_PACKAGE}@${CCR_VERSION}`],
    { encoding: 'utf8', timeout: 300_000 },
  );
  if (r.status !== 0 || !existsSync(cli))
    return {
      skipped: `claude-code-router ${CCR_VERSION} could not be installed into ${prefix} (npm ${r.error?.message ?? `exited ${r.status}`}: ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' ')})`,
    };
  return { cli };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

/**
 * Starts claude-code-router on a free port with providers `real` (model chat) and `sat` (model
 * tiny); a request picks one with model "real,chat" or "sat,tiny".
 */
export async function startCcr(cli: string, urls: { sat: string; real: string }): Promise<Child> {
  const home = mkdtempSync(join(tmpdir(), 'orchestra-bench-ccr-'));
  const port = await freePort();
  mkdirSync(join(home, '.claude-code-router'));
  const provider = (name: string, url: string, model: string) => ({
    name,
    api_base_url: `${url}/v1/chat/completions`,
    api_key: 'none',
    models: [model],
  });
  writeFileSync(
    join(home, '.claude-code-router', 'config.json'),
    JSON.stringify({
      LOG: false,
      PORT: port,
      HOST: '127.0.0.1',
      NON_INTERACTIVE_MODE: true,
      Providers: [provider('real', urls.real, 'chat'), provider('sat', urls.sat, 'tiny')],
      Router: { default: 'real,chat' },
    }),
  );
  const proc = spawn(process.execPath, [cli, 'start'], {
    env: { ...process.env, HOME: home },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`claude-code-router exited with ${proc.exitCode}`);
    const up = await fetch(`${url}/`).then(
      () => true,
      () => false,
    );
    if (up) break;
    if (performance.now() > deadline) throw new Error('claude-code-router did not listen within 30 s');
    await new Promise((r) => setTimeout(r, 200));
  }
  // the server is the process that wrote the pid file (it may be another than the one started)
  const pidOf = (): number | undefined => {
    try {
      return Number(readFileSync(join(home, '.claude-code-router', '.claude-code-router.pid'), 'utf8'));
    } catch {
      return proc.pid;
    }
  };
  const pid = pidOf();
  return {
    role: 'ccr',
    line: url,
    statsUrl: '',
    cpuMs: () => cpuMsOf(pid),
    runQueueMs: () => runQueueMsOf(pid),
    stop: () => {
      proc.kill('SIGTERM');
      if (pid !== undefined && pid !== proc.pid)
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // gone with its parent
        }
      rmSync(home, { recursive: true, force: true });
    },
  };
}
