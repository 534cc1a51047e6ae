// Gateway overhead: the same streamed chat sent at 100 concurrent streams straight to an emulated
// Ollama server and through the gateway (OpenAI face, auth, translation, chain executor, usage row)
// in front of it, on real sockets, with the emulator, the gateway and the load generator in separate
// processes (as in production, where they do not share an event loop), plus a bare pass-through
// proxy to show what any extra hop costs on this machine. Prints p50/p99 latency and
// requests per second side by side and the difference (targets: p50 <= 1 ms added, p99 <= 5 ms
// added). Asserts nothing.
import { serve } from '@hono/node-server';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeGateway } from '../src/app.ts';
import { FleetSchema } from '../src/config/index.ts';
import { startEmulatedFleet } from '../src/emulator/emulated-fleet.ts';
import { systemClock } from '../src/lib/clock.ts';
import { openUsageStore } from '../src/store/index.ts';

const CONCURRENCY = 100;
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const MAX_TOKENS = 32;

// a tiny, very fast model with 100 slots: the emulator's own time is near zero, so what remains is
// HTTP, parsing and framing, where the gateway's overhead shows
const fleet = FleetSchema.parse({
  servers: [
    {
      name: 'bench',
      url: 'http://127.0.0.1:0',
      memoryGiB: 200,
      parallel: CONCURRENCY,
      queueMax: 10_000,
      profile: 'rtx4090-24',
    },
  ],
  models: [
    {
      name: 'tiny',
      memoryGiB: 0.5,
      paramsB: 0.5,
      contextTokens: 1024,
      kvBytesPerToken: 1024,
      loadSeconds: 0.05,
      prefillTokensPerSecond: 1e7,
      decodeTokensPerSecond: 1e6,
      servers: ['bench'],
    },
  ],
  aliases: { fast: ['tiny'] },
});

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function run(
  label: string,
  send: () => Promise<void>,
  concurrency: number,
  requests: number,
): Promise<{ label: string; p50: number; p99: number; rps: number }> {
  for (let i = 0; i < 200; i++) await send(); // warm-up: JIT, connection pool, model loaded
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const s = performance.now();
        await send();
        latencies.push(performance.now() - s);
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { label, p50: percentile(latencies, 50), p99: percentile(latencies, 99), rps: requests / seconds };
}

interface OverheadSnapshot {
  buckets: Array<[le: number, count: number]>;
  sum: number;
  count: number;
}

/** the gateway's own-time histogram (orchestra_gateway_overhead_seconds, api openai) from /metrics */
async function overheadSnapshot(gatewayUrl: string): Promise<OverheadSnapshot> {
  const text = await (await fetch(`${gatewayUrl}/metrics`)).text();
  const buckets: Array<[number, number]> = [];
  let sum = 0;
  let count = 0;
  for (const line of text.split('\n')) {
    const b = /^orchestra_gateway_overhead_seconds_bucket\{api="openai",le="([^"]+)"\} (\S+)$/.exec(line);
    if (b) buckets.push([b[1] === '+Inf' ? Infinity : Number(b[1]), Number(b[2])]);
    const m = /^orchestra_gateway_overhead_seconds_(sum|count)\{api="openai"\} (\S+)$/.exec(line);
    if (m?.[1] === 'sum') sum = Number(m[2]);
    if (m?.[1] === 'count') count = Number(m[2]);
  }
  return { buckets, sum, count };
}

/** mean and bucket upper bounds of p50/p99 between two snapshots, in ms */
function overheadBetween(a: OverheadSnapshot, b: OverheadSnapshot): string {
  const n = b.count - a.count;
  if (n <= 0) return 'no samples';
  const q = (p: number): string => {
    const i = b.buckets.findIndex(([, c], j) => c - (a.buckets[j]?.[1] ?? 0) >= p * n);
    const le = b.buckets[i]?.[0] ?? Infinity;
    return Number.isFinite(le) ? `<= ${(le * 1000).toFixed(2)}` : '> 100';
  };
  return `mean ${(((b.sum - a.sum) / n) * 1000).toFixed(2)} ms, p50 ${q(0.5)} ms, p99 ${q(0.99)} ms (${n} requests)`;
}

async function consume(res: Response): Promise<void> {
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

/** starts this file in another process with a role; resolves with the URL it prints */
function child(role: string, ...args: string[]): Promise<{ url: string; stop: () => void }> {
  const prof =
    process.env.BENCH_PROFILE_DIR && role === 'gateway'
      ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
      : [];
  const proc = spawn(process.execPath, [...prof, import.meta.filename, '--role', role, ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${role} exited with ${code}`)));
    proc.stdout.once('data', (b: Buffer) =>
      resolve({ url: b.toString().trim(), stop: () => proc.kill('SIGTERM') }),
    );
  });
}

async function emulatorRole(): Promise<void> {
  const emulated = await startEmulatedFleet(fleet, { clock: systemClock, ports: { bench: 0 } });
  console.log(emulated.servers[0]!.url);
}

async function gatewayRole(upstream: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'orchestra-bench-'));
  const gatewayFleet = FleetSchema.parse({ ...fleet, servers: [{ ...fleet.servers[0], url: upstream }] });
  const store = openUsageStore(join(dir, 'usage.sqlite'));
  process.once('SIGTERM', () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
  // the real scheduler (SchedulerService, policy gxa): its cost is part of the overhead
  const { gateway } = await composeGateway({ fleet: gatewayFleet, clock: systemClock, env: {}, store });
  const http = serve({ fetch: gateway.app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((r) => http.once('listening', r));
  console.log(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
}

/** a bare pass-through (Hono + fetch, body streamed as is): the cost of any extra hop on this machine */
async function proxyRole(upstream: string): Promise<void> {
  const http = serve({
    fetch: async (req: Request) => {
      const res = await fetch(`${upstream}/api/chat`, { method: 'POST', body: await req.text() });
      return new Response(res.body, {
        status: res.status,
        headers: { 'content-type': 'application/x-ndjson' },
      });
    },
    port: 0,
    hostname: '127.0.0.1',
  }) as Server;
  await new Promise<void>((r) => http.once('listening', r));
  console.log(`http://127.0.0.1:${(http.address() as AddressInfo).port}`);
}

async function main(): Promise<void> {
  const emulator = await child('emulator');
  const gw = await child('gateway', emulator.url);
  const proxy = await child('proxy', emulator.url);
  const messages = [{ role: 'user', content: 'Write a haiku about schedulers.' }];
  const direct = () =>
    fetch(`${emulator.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'tiny',
        messages,
        stream: true,
        options: { num_ctx: 1024, num_predict: MAX_TOKENS },
        keep_alive: -1,
      }),
    }).then(consume);
  const viaProxy = () =>
    fetch(`${proxy.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'tiny',
        messages,
        stream: true,
        options: { num_ctx: 1024, num_predict: MAX_TOKENS },
        keep_alive: -1,
      }),
    }).then(consume);
  const viaGateway = () =>
    fetch(`${gw.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', messages, stream: true, max_tokens: MAX_TOKENS }),
    }).then(consume);
  try {
    for (const [concurrency, requests] of [
      [1, Math.min(500, REQUESTS)],
      [CONCURRENCY, REQUESTS],
    ] as const) {
      const a = await run('emulator direct (/api/chat)', direct, concurrency, requests);
      const p = await run('bare pass-through proxy (no parsing)', viaProxy, concurrency, requests);
      const before = await overheadSnapshot(gw.url);
      const b = await run('through gateway (/v1/chat/completions)', viaGateway, concurrency, requests);
      const after = await overheadSnapshot(gw.url);
      const ms = (x: number): string => x.toFixed(2).padStart(8);
      console.log(
        `\n${requests} streamed requests of ${MAX_TOKENS} tokens, ${concurrency} concurrent, real sockets, separate processes, node ${process.version}`,
      );
      console.log('path                                       p50 ms    p99 ms     req/s');
      for (const r of [a, p, b])
        console.log(`${r.label.padEnd(40)} ${ms(r.p50)}  ${ms(r.p99)}  ${r.rps.toFixed(0).padStart(8)}`);
      console.log(
        `${'added by a bare hop'.padEnd(40)} ${ms(p.p50 - a.p50)}  ${ms(p.p99 - a.p99)}  ${(p.rps / a.rps).toFixed(2).padStart(7)}x`,
      );
      const add50 = b.p50 - a.p50;
      const add99 = b.p99 - a.p99;

      console.log(
        `${'added by the gateway'.padEnd(40)} ${ms(add50)}  ${ms(add99)}  ${(b.rps / a.rps).toFixed(2).padStart(7)}x`,
      );
      console.log(
        `gateway's own time per request outside the backend stream (orchestra_gateway_overhead_seconds): ${overheadBetween(before, after)}`,
      );
      if (concurrency === CONCURRENCY) {
        console.log(`target p50 added <= 1 ms: ${add50 <= 1 ? 'PASS' : 'MISS'} (${add50.toFixed(2)} ms)`);
        console.log(`target p99 added <= 5 ms: ${add99 <= 5 ? 'PASS' : 'MISS'} (${add99.toFixed(2)} ms)`);
        if (add50 < 0 || add99 < 0)
          console.log(
            '(a negative difference means the direct run had the worse tail: noise of a loaded machine)',
          );
      }
    }
    console.log(
      `scheduler: SchedulerService (gxa) in the gateway process; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${availableParallelism()} cores`,
    );
  } finally {
    gw.stop();
    proxy.stop();
    emulator.stop();
  }
}

const role = process.argv.indexOf('--role');
if (role < 0) await main();
else if (process.argv[role + 1] === 'emulator') await emulatorRole();
else if (process.argv[role + 1] === 'proxy') await proxyRole(process.argv[role + 2]!);
else await gatewayRole(process.argv[role + 2]!);
