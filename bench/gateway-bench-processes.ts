// The processes of the gateway benchmark (bench/gateway.bench.ts): the emulated Ollama servers,
// the gateway, and a bare pass-through proxy, each in its own process as in production, where they
// do not share an event loop. Run as `node bench/gateway-bench-processes.ts --role ROLE ...`; each
// role prints its URL(s) on one line of stdout when it listens.
import { serve } from '@hono/node-server';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeGateway } from '../src/app.ts';
import { FleetSchema, type FleetConfig } from '../src/config/index.ts';
import { batchingGain } from '../src/cost/index.ts';
import { createEmulator } from '../src/emulator/emulator-app.ts';
import { systemClock } from '../src/lib/clock.ts';
import { openUsageStore } from '../src/store/index.ts';
import { stampingHandler, type Handler } from './delivery-stamps.ts';
import { withLoopStats } from './loop-stats.ts';

export const STREAMS = 100;
/** decode speed of one stream of the realistic model while STREAMS streams share it (tok/s) */
export const REAL_TOKENS_PER_SECOND = 50;

/**
 * Two emulated servers: `sat` holds `tiny`, infinitely fast (the emulator's own time is near zero,
 * so a closed loop saturates the CPU: a throughput test), and `real` holds `chat`, whose streams
 * decode at REAL_TOKENS_PER_SECOND each with STREAMS in flight (the emulator shares decode among
 * streams by the batching gain g(b), so the single-stream speed is set to what gives that rate).
 */
export function benchFleet(urls: { sat: string; real: string }): FleetConfig {
  const server = (name: string, url: string) => ({
    name,
    url,
    memoryGiB: 200,
    parallel: STREAMS,
    queueMax: 10_000,
    profile: 'rtx4090-24',
  });
  const model = (name: string, on: string, decodeTokensPerSecond: number) => ({
    name,
    memoryGiB: 0.5,
    paramsB: 0.5,
    contextTokens: 1024,
    kvBytesPerToken: 1024,
    loadSeconds: 0.05,
    prefillTokensPerSecond: 1e7,
    decodeTokensPerSecond,
    servers: [on],
  });
  return FleetSchema.parse({
    servers: [server('sat', urls.sat), server('real', urls.real)],
    models: [
      model('tiny', 'sat', 1e6),
      model('chat', 'real', (REAL_TOKENS_PER_SECOND * STREAMS) / batchingGain(STREAMS)),
    ],
    aliases: { fast: ['tiny'], chat: ['chat'] },
  });
}

export interface Child {
  role: string;
  /** what the child printed: its URL, or `sat real` URLs for the emulator, `relay stats` for the relay */
  line: string;
  /** where its loop stats are served (loop-stats.ts): the last URL it printed */
  statsUrl: string;
  /** CPU time the process used so far (user + system), in ms; NaN where /proc is missing */
  cpuMs: () => number;
  /** ms its main thread spent runnable but waiting for a core, so far; NaN where /proc is missing */
  runQueueMs: () => number;
  stop: () => void;
}

/** user + system CPU ms of a process from /proc (Linux; clock ticks of 10 ms) */
export function cpuMsOf(pid: number | undefined): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return NaN;
  }
}

/**
 * ms the main thread of a process spent waiting on a run queue (runnable, no core free) from
 * /proc/PID/schedstat (Linux, ns). On 2 cores a third busy process makes the others wait: its
 * event loop is then late by that wait, whatever its own code costs.
 */
export function runQueueMsOf(pid: number | undefined): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]) / 1e6;
  } catch {
    return NaN;
  }
}

/**
 * ms of CPU time the hypervisor gave to other guests while this machine's vCPUs had work (steal,
 * /proc/stat, summed over CPUs; NaN where not reported). A process whose vCPU is taken away stalls
 * however little it does.
 */
export function stealMs(): number {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.split(/\s+/);
    return Number(cpu[8]) * 10; // USER_HZ: 100 ticks per s
  } catch {
    return NaN;
  }
}

/** starts this file in another process with a role; resolves with the line it prints */
export function startChild(role: string, ...args: string[]): Promise<Child> {
  const prof =
    process.env.BENCH_PROFILE_DIR && role === 'gateway'
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
      : [];
  const flags = role.startsWith('gateway')
    ? (process.env.BENCH_GATEWAY_FLAGS ?? '').split(' ').filter(Boolean)
    : [];
  const proc = spawn(process.execPath, [...prof, ...flags, import.meta.filename, '--role', role, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
    proc.stdout.once('data', (b: Buffer) =>
      resolve({
        role,
        line: b.toString().trim(),
        statsUrl: b.toString().trim().split(' ').at(-1)!,
        cpuMs: () => cpuMsOf(proc.pid),
        runQueueMs: () => runQueueMsOf(proc.pid),
        stop: () => proc.kill('SIGTERM'),
      }),
    );
  });
}

/** the fleet's two emulated servers, each behind the bench's stamping wrapper (delivery-stamps.ts) */
async function emulatorRole(): Promise<void> {
  const fleet = benchFleet({ sat: 'http://127.0.0.1:0', real: 'http://127.0.0.1:0' });
  const urls = [];
  for (const server of fleet.servers) {
    const emulator = createEmulator({ server, models: fleet.models, clock: systemClock });
    urls.push(await listen(withLoopStats(stampingHandler((req, env) => emulator.app.fetch(req, env)))));
  }
  console.log(urls.join(' '));
}

/**
 * `deferred`: the gateway does not wait for each usage row's commit before the end of its answer
 * (the store's committed() resolves at once; rows are still written, as before issue 19), to
 * measure what the wait costs beside the shipped gateway (BENCH_USAGE_COST=1)
 */
async function gatewayRole(sat: string, real: string, deferred = false): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'orchestra-bench-'));
  const durable = openUsageStore(join(dir, 'usage.sqlite'));
  const store = deferred ? { ...durable, committed: () => Promise.resolve() } : durable;
  process.once('SIGTERM', () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0); // a normal exit, so --cpu-prof writes its profile
  });
  // the real scheduler (SchedulerService, policy gxa): its cost is part of the overhead
  const { gateway } = await composeGateway({
    fleet: benchFleet({ sat, real }),
    clock: systemClock,
    env: {},
    store,
  });
  console.log(await listen(withLoopStats((req, env) => gateway.app.fetch(req, env))));
}

/**
 * a bare pass-through (Hono + fetch, body streamed as is): /sat/PATH and /real/PATH to PATH on each
 * server (/api/chat for the Ollama face, /v1/chat/completions for the OpenAI-compatible one)
 */
async function proxyRole(sat: string, real: string): Promise<void> {
  console.log(
    await listen(
      withLoopStats(async (req: Request) => {
        const url = new URL(req.url);
        const upstream = url.pathname.startsWith('/sat/') ? sat : real;
        const path = url.pathname.replace(/^\/(sat|real)/, '');
        const res = await fetch(`${upstream}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: await req.text(),
        });
        // chunked: @hono/node-server then writes the head and the first chunk at once, where it
        // would otherwise wait a timer for a second chunk, looking for a content length
        return new Response(res.body, {
          status: res.status,
          headers: {
            'content-type': res.headers.get('content-type') ?? 'application/x-ndjson',
            'transfer-encoding': 'chunked',
          },
        });
      }),
    ),
  );
}

/**
 * The floor of any second hop: a TCP relay that copies bytes both ways between each client
 * connection and one of its own to the `real` server, parsing nothing. What it adds is the machine's
 * cost of one more process and socket pair on the way (kernel, scheduling, event-loop wake-ups),
 * which no gateway can avoid. Prints its URL and that of a small HTTP server for its loop stats.
 */
async function relayRole(real: string): Promise<void> {
  const target = new URL(real);
  const relay = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    client.pipe(upstream);
    upstream.pipe(client);
    const close = (): void => {
      client.destroy();
      upstream.destroy();
    };
    for (const s of [client, upstream]) s.on('error', close).on('close', close);
  });
  await new Promise<void>((r) => relay.listen(0, '127.0.0.1', r));
  const stats = await listen(withLoopStats(() => new Response('not found', { status: 404 })));
  console.log(`http://127.0.0.1:${(relay.address() as AddressInfo).port} ${stats}`);
}

async function listen(fetch: Handler): Promise<string> {
  const http = serve({ fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((r) => http.once('listening', r));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

const at = process.argv.indexOf('--role');
if (at >= 0) {
  const [role, ...args] = process.argv.slice(at + 1);
  if (role === 'emulator') await emulatorRole();
  else if (role === 'proxy') await proxyRole(args[0]!, args[1]!);
  else if (role === 'relay') await relayRole(args[1]!);
  else if (role === 'gateway') await gatewayRole(args[0]!, args[1]!);
  else if (role === 'gateway-deferred') await gatewayRole(args[0]!, args[1]!, true);
  else throw new Error(`unknown role ${role}`);
}
