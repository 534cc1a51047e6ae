// Memory of the gateway under sustained load (issue 19): 300 concurrent streaming clients in a
// closed loop (OpenAI, Anthropic and Ollama faces in turn) against the gateway, in front of an
// emulated Ollama server; the emulator, the gateway and this load generator in separate processes.
// Every SOAK_SAMPLE_SECONDS (30) the gateway's RSS and JS heap are sampled, the heap both as it is
// and after a full GC (the gateway runs with --expose-gc, so garbage not yet collected does not
// read as growth). Printed: a table of the samples, and the slope of each series (MiB per minute,
// least squares) over the first and the last half of the run: memory levels off when the last
// half's slope is small beside the first half's, or under LEVEL_MIB_PER_MIN.
//
//   npm run bench -- soak                 10 minutes
//   npm run bench -- soak --seconds 90    shorter (SOAK_SECONDS works too)
//   SOAK_SAMPLE_SECONDS=10 SOAK_CLIENTS=300
// Asserts nothing.
import { serve } from '@hono/node-server';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeGateway } from '../src/app.ts';
import { FleetSchema, type FleetConfig } from '../src/config/index.ts';
import { createEmulator } from '../src/emulator/emulator-app.ts';
import { systemClock } from '../src/lib/clock.ts';
import { openUsageStore } from '../src/store/index.ts';

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const SECONDS = Number(flag('seconds') ?? process.env.SOAK_SECONDS ?? 600);
const SAMPLE_SECONDS = Number(flag('sample-seconds') ?? process.env.SOAK_SAMPLE_SECONDS ?? 30);
const CLIENTS = Number(flag('clients') ?? process.env.SOAK_CLIENTS ?? 300);
/** tokens per answer and decode speed of each stream: an answer lasts about 1.3 s */
const TOKENS = 64;
const TOKENS_PER_SECOND = 50;
/** below this slope (MiB/min) a series counts as flat whatever its first half did */
const LEVEL_MIB_PER_MIN = 1;
const MEMORY_PATH = '/soak/memory';

function soakFleet(url: string): FleetConfig {
  return FleetSchema.parse({
    servers: [
      { name: 'box', url, memoryGiB: 200, parallel: CLIENTS, queueMax: 10_000, profile: 'rtx4090-24' },
    ],
    models: [
      {
        name: 'chat',
        memoryGiB: 0.5,
        paramsB: 0.5,
        contextTokens: 2048,
        kvBytesPerToken: 1024,
        loadSeconds: 0.05,
        prefillTokensPerSecond: 1e7,
        // the emulator shares decode among streams by the batching gain; this is per stream
        decodeTokensPerSecond: TOKENS_PER_SECOND * 30,
        servers: ['box'],
      },
    ],
    aliases: { 'claude-3-5-sonnet': ['chat'] },
  });
}

async function listen(fetch: (r: Request) => Response | Promise<Response>): Promise<string> {
  const http = serve({ fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((r) => http.once('listening', r));
  return `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
}

async function emulatorRole(): Promise<void> {
  const fleet = soakFleet('http://127.0.0.1:0');
  const emulator = createEmulator({ server: fleet.servers[0]!, models: fleet.models, clock: systemClock });
  console.log(await listen((req) => emulator.app.fetch(req)));
}

async function gatewayRole(emulatorUrl: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'orchestra-soak-'));
  const store = openUsageStore(join(dir, 'usage.sqlite'));
  process.once('SIGTERM', () => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  });
  const { gateway } = await composeGateway({
    fleet: soakFleet(emulatorUrl),
    clock: systemClock,
    env: {},
    store,
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  console.log(
    await listen((req) => {
      if (new URL(req.url).pathname !== MEMORY_PATH) return gateway.app.fetch(req);
      const before = process.memoryUsage();
      gc?.();
      const after = process.memoryUsage();
      return Response.json({
        rss: before.rss,
        heapUsed: before.heapUsed,
        heapTotal: after.heapTotal,
        heapAfterGc: after.heapUsed,
        external: after.external,
      });
    }),
  );
}

interface Sample {
  t: number;
  answered: number;
  failed: number;
  rss: number;
  heapUsed: number;
  heapAfterGc: number;
  /** bytes V8 holds for the heap (committed), after the GC */
  heapTotal: number;
  external: number;
}

function startChild(args: string[], nodeFlags: string[] = []): Promise<{ url: string; proc: ChildProcess }> {
  const proc = spawn(process.execPath, [...nodeFlags, import.meta.filename, '--role', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`${args[0]} exited with ${code}`)));
    proc.stdout.once('data', (b: Buffer) => resolve({ url: b.toString().trim(), proc }));
  });
}

const MiB = 1024 * 1024;
const messages = (i: number) => [{ role: 'user', content: `Tell me about soak tests, client ${i}.` }];

/** one streamed request on the i-th client's face, read to its end */
async function ask(url: string, i: number, n: number): Promise<void> {
  const face = n % 3;
  const [path, body] =
    face === 0
      ? [
          '/v1/chat/completions',
          { model: 'claude-3-5-sonnet', stream: true, max_tokens: TOKENS, messages: messages(i) },
        ]
      : face === 1
        ? [
            '/v1/messages',
            { model: 'claude-3-5-sonnet', stream: true, max_tokens: TOKENS, messages: messages(i) },
          ]
        : [
            '/api/chat',
            {
              model: 'claude-3-5-sonnet',
              stream: true,
              messages: messages(i),
              options: { num_predict: TOKENS },
            },
          ];
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
}

/** least-squares slope of y (MiB) against t (s), in MiB per minute */
function slope(points: Array<[number, number]>): number {
  if (points.length < 2) return NaN;
  const n = points.length;
  const mt = points.reduce((s, [t]) => s + t, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [t, y]) => s + (t - mt) * (y - my), 0);
  const den = points.reduce((s, [t]) => s + (t - mt) ** 2, 0);
  return (num / den) * 60;
}

function verdict(name: string, samples: Sample[], pick: (s: Sample) => number): string {
  const points = samples.map((s): [number, number] => [s.t, pick(s) / MiB]);
  const half = Math.floor(points.length / 2);
  // the first sample is taken before the load, so the first half holds the warm-up
  const first = slope(points.slice(0, half + 1));
  const last = slope(points.slice(half));
  const flat = last <= LEVEL_MIB_PER_MIN || last <= first / 4;
  return `${name.padEnd(16)} first half ${first.toFixed(2).padStart(7)} MiB/min, last half ${last.toFixed(2).padStart(7)} MiB/min: ${flat ? 'levels off' : 'STILL GROWS'}`;
}

async function main(): Promise<void> {
  const emulator = await startChild(['emulator']);
  const gateway = await startChild(['gateway', emulator.url], ['--expose-gc']);
  const stop = () => {
    gateway.proc.kill('SIGTERM');
    emulator.proc.kill('SIGTERM');
  };
  try {
    console.log(
      `soak: ${CLIENTS} concurrent streaming clients (OpenAI, Anthropic, Ollama faces in turn), ${TOKENS} tokens per answer at ~${TOKENS_PER_SECOND} tok/s, ${SECONDS} s, memory sampled every ${SAMPLE_SECONDS} s; load average ${loadavg()[0]!.toFixed(2)}`,
    );
    const memory = async (): Promise<Omit<Sample, 't' | 'answered' | 'failed'>> =>
      (await (await fetch(`${gateway.url}${MEMORY_PATH}`)).json()) as Omit<
        Sample,
        't' | 'answered' | 'failed'
      >;
    let answered = 0;
    let failed = 0;
    const t0 = performance.now();
    const samples: Sample[] = [{ t: 0, answered, failed, ...(await memory()) }];
    const end = t0 + SECONDS * 1000;
    const clients = Array.from({ length: CLIENTS }, async (_, i) => {
      await new Promise((r) => setTimeout(r, (i * 1300) / CLIENTS)); // staggered starts
      for (let n = i; performance.now() < end; n++)
        await ask(gateway.url, i, n).then(
          () => answered++,
          () => failed++,
        );
    });
    const sampler = (async () => {
      for (let k = 1; t0 + k * SAMPLE_SECONDS * 1000 <= end + 1; k++) {
        await new Promise((r) => setTimeout(r, t0 + k * SAMPLE_SECONDS * 1000 - performance.now()));
        samples.push({ t: (performance.now() - t0) / 1000, answered, failed, ...(await memory()) });
      }
    })();
    await Promise.all([...clients, sampler]);
    const idle = await memory(); // once every client is done: what stays
    console.log(
      '\n   t s   answered   failed   RSS MiB   heap MiB   heap after GC MiB   heap committed MiB   external MiB',
    );
    for (const s of samples)
      console.log(
        `${s.t.toFixed(0).padStart(6)} ${String(s.answered).padStart(10)} ${String(s.failed).padStart(8)} ${(s.rss / MiB).toFixed(1).padStart(9)} ${(s.heapUsed / MiB).toFixed(1).padStart(10)} ${(s.heapAfterGc / MiB).toFixed(1).padStart(19)} ${(s.heapTotal / MiB).toFixed(1).padStart(20)} ${(s.external / MiB).toFixed(1).padStart(14)}`,
      );
    console.log(
      `  idle, after the last client: RSS ${(idle.rss / MiB).toFixed(1)} MiB, heap after GC ${(idle.heapAfterGc / MiB).toFixed(1)} MiB`,
    );
    const loaded = samples.slice(1);
    console.log(
      `\nslopes over the samples under load (${loaded.length}; a half is ${Math.floor(loaded.length / 2)} intervals):`,
    );
    console.log(`  ${verdict('RSS', loaded, (s) => s.rss)}`);
    console.log(`  ${verdict('heap after GC', loaded, (s) => s.heapAfterGc)}`);
    console.log(`${answered} answered, ${failed} failed; load average ${loadavg()[0]!.toFixed(2)}`);
  } finally {
    stop();
  }
}

const at = process.argv.indexOf('--role');
if (at >= 0) {
  const [role, arg] = process.argv.slice(at + 1);
  if (role === 'emulator') await emulatorRole();
  else if (role === 'gateway') await gatewayRole(arg!);
  else throw new Error(`unknown role ${role}`);
} else await main();
