// Gateway overhead, two cases side by side, on real sockets, with the emulator, the gateway (OpenAI
// face, auth, translation, the real scheduler, chain executor, usage row in sqlite) and this load
// generator in separate processes:
//
// 1. Realistic (the issue's target): 100 concurrent streamed chats whose tokens arrive at model
//    speed (about 50 tok/s each, 64 tokens, emulator on the real clock), straight to the emulator
//    and through the gateway, in alternating rounds so both see the same machine. Per request:
//    time to first token and total time; the gateway's added p50/p99 of both against the targets
//    (p50 <= 1 ms, p99 <= 5 ms added). The gateway is not saturated here: this is what it adds to
//    a stream.
// 2. Throughput at saturation: the same request against an infinitely fast model in a closed loop,
//    so every process runs flat out; latency there is CPU queueing, not per-request overhead.
//    Reports requests per second direct / through a bare pass-through proxy / through the gateway.
//
// Beside each case, CPU ms per request of every process (from /proc): the figure least disturbed by
// other work on the machine, and the one the gateway's latency under load follows. "total" is
// the time to the end of the response body. The machine is shared, so the load average is printed
// beside the figures. Asserts nothing. Knobs: BENCH_ROUNDS, BENCH_WINDOW_MS, BENCH_REQUESTS
// (saturation), BENCH_PROFILE_DIR (writes a --cpu-prof of the gateway process there).
import { availableParallelism, loadavg } from 'node:os';
import { REAL_TOKENS_PER_SECOND, STREAMS, startChild, type Child } from './gateway-bench-processes.ts';

const REAL_TOKENS = 64;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
/** ms per round in which started requests are recorded */
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 6000);
const STREAM_MS = (REAL_TOKENS / REAL_TOKENS_PER_SECOND) * 1000;
/** ramp-up before recording (staggered starts) and padding after it, so recorded requests run
 * with STREAMS in flight from start to end */
const RAMP_MS = STREAM_MS + 300;
const PAD_MS = STREAM_MS * 1.5;
const SAT_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const SAT_TOKENS = 32;
const messages = [{ role: 'user', content: 'Write a haiku about schedulers.' }];

const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${availableParallelism()} cores`;
const pct = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
const sortedOf = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const f = (x: number, w = 8): string => x.toFixed(2).padStart(w);

type Send = () => Promise<Response>;

/** a fixed length, or a deterministic sequence of lengths (each path gets its own copy) */
type Tokens = number | (() => () => number);

function lengths(tokens: Tokens): () => number {
  return typeof tokens === 'number' ? () => tokens : tokens();
}

/**
 * Reply lengths spread evenly over [mean/2, 3*mean/2] in a fixed order. Agents' replies differ in
 * length; with one length for all, a closed loop of 100 streams stays in lockstep and every new
 * request arrives in a burst of 100, which no real fleet of agents produces.
 */
function spreadLengths(mean: number): () => () => number {
  return () => {
    let k = 0;
    return () => Math.round(mean / 2 + ((k++ * 37) % 101) * (mean / 100));
  };
}

function ollamaChat(url: string, model: string, tokens: Tokens): Send {
  const next = lengths(tokens);
  return () =>
    fetch(url, {
      method: 'POST',
      body: JSON.stringify({
        model,
        messages,
        stream: true,
        options: { num_ctx: 1024, num_predict: next() },
        keep_alive: -1,
      }),
    });
}

function openAIChat(url: string, alias: string, tokens: Tokens): Send {
  const next = lengths(tokens);
  const headers = { 'content-type': 'application/json' };
  return () =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: alias, messages, stream: true, max_tokens: next() }),
    });
}

// a content token: `"content":"x` in an NDJSON line or an SSE delta (the role chunk's is empty)
const CONTENT = /"content":"[^"]/;

interface Timed {
  /** ms from sending to the first byte of the first content token */
  ttft: number;
  /** ms from sending to the end of the stream */
  total: number;
}

async function timed(send: Send): Promise<Timed> {
  const s = performance.now();
  const res = await send();
  if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
  const utf8 = new TextDecoder();
  let ttft = NaN;
  let tail = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!Number.isNaN(ttft)) continue;
    const text = tail + utf8.decode(value, { stream: true });
    if (CONTENT.test(text)) ttft = performance.now() - s;
    else tail = text.slice(-16);
  }
  if (Number.isNaN(ttft)) throw new Error('a stream without content');
  return { ttft, total: performance.now() - s };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** one round: STREAMS closed-loop streams (staggered), recording requests started in the window;
 * resolves with the number of requests completed */
async function round(send: Send, into: Timed[]): Promise<number> {
  let completed = 0;
  const t0 = performance.now();
  const from = t0 + RAMP_MS;
  const to = from + WINDOW_MS;
  await Promise.all(
    Array.from({ length: STREAMS }, async (_, i) => {
      await sleep((i * STREAM_MS) / STREAMS);
      while (performance.now() < to + PAD_MS) {
        const started = performance.now();
        const r = await timed(send);
        completed++;
        if (started >= from && started < to) into.push(r);
      }
    }),
  );
  return completed;
}

/** CPU ms used so far by each child and by this process (last) */
function cpuNow(children: Child[]): number[] {
  const self = process.cpuUsage();
  return [...children.map((c) => c.cpuMs()), (self.user + self.system) / 1000];
}

/** CPU ms per request of each process between two cpuNow() readings */
function cpuPerRequest(children: Child[], cpu: number[], requests: number): string {
  const names = [...children.map((c) => c.role), 'load generator'];
  return names.map((n, i) => `${n} ${(cpu[i]! / requests).toFixed(2)}`).join(', ');
}

interface Summary {
  n: number;
  ttft50: number;
  ttft99: number;
  total50: number;
  total99: number;
  rps: number;
}

function summarize(xs: Timed[]): Summary {
  const ttft = sortedOf(xs.map((x) => x.ttft));
  const total = sortedOf(xs.map((x) => x.total));
  const rps = xs.length / ((ROUNDS * WINDOW_MS) / 1000);
  return {
    n: xs.length,
    ttft50: pct(ttft, 50),
    ttft99: pct(ttft, 99),
    total50: pct(total, 50),
    total99: pct(total, 99),
    rps,
  };
}

async function realistic(paths: Array<[label: string, send: Send]>, children: Child[]): Promise<void> {
  console.log(
    `\n== realistic: ${STREAMS} concurrent streams, ${REAL_TOKENS / 2}-${(REAL_TOKENS * 3) / 2} tokens each (mean ${REAL_TOKENS}, same lengths on every path) at ~${REAL_TOKENS_PER_SECOND} tok/s (emulator on the real clock), ${ROUNDS} alternating rounds of ${WINDOW_MS / 1000} s per path ==`,
  );
  console.log(`before: ${load()}`);
  const samples = paths.map((): Timed[] => []);
  for (const [, send] of paths) await Promise.all(Array.from({ length: 20 }, () => timed(send))); // warm-up
  const cpu = paths.map(() => cpuNow(children).map(() => 0));
  const completed = paths.map(() => 0);
  for (let r = 0; r < ROUNDS; r++)
    for (const [i, [, send]] of paths.entries()) {
      const before = cpuNow(children);
      completed[i]! += await round(send, samples[i]!);
      cpuNow(children).forEach((x, j) => (cpu[i]![j]! += x - before[j]!));
    }
  const s = samples.map(summarize);
  console.log(
    'path                                      n  TTFT p50  TTFT p99  total p50  total p99   req/s',
  );
  for (const [i, [label]] of paths.entries()) {
    const x = s[i]!;
    console.log(
      `${label.padEnd(36)} ${String(x.n).padStart(5)}  ${f(x.ttft50)}  ${f(x.ttft99)}  ${f(x.total50, 9)}  ${f(x.total99, 9)}  ${f(x.rps, 6)}`,
    );
  }
  const d = s[0]!;
  for (const [i, [label]] of paths.entries()) {
    if (i === 0) continue;
    const x = s[i]!;
    console.log(
      `${`added: ${label}`.padEnd(36)}        ${f(x.ttft50 - d.ttft50)}  ${f(x.ttft99 - d.ttft99)}  ${f(x.total50 - d.total50, 9)}  ${f(x.total99 - d.total99, 9)}`,
    );
  }
  const g = s[s.length - 1]!;
  const verdict = (name: string, added: number, target: number): string =>
    `${name} ${added <= target ? 'PASS' : 'MISS'} (${added.toFixed(2)} ms, target <= ${target} ms)`;
  console.log(
    `gateway targets: ${verdict('TTFT p50', g.ttft50 - d.ttft50, 1)}; ${verdict('TTFT p99', g.ttft99 - d.ttft99, 5)}`,
  );
  console.log(
    `                 ${verdict('total p50', g.total50 - d.total50, 1)}; ${verdict('total p99', g.total99 - d.total99, 5)}`,
  );
  console.log('CPU ms per request (user + system, every request of the rounds):');
  for (const [i, [label]] of paths.entries())
    console.log(`  ${label}: ${cpuPerRequest(children, cpu[i]!, completed[i]!)}`);
  console.log(`after: ${load()} (a negative difference is noise of the shared machine)`);
}

async function drain(res: Response): Promise<void> {
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
}

/** closed loop at full speed: `concurrency` workers, `requests` in all */
async function saturate(send: Send, concurrency: number, requests: number, children: Child[]) {
  for (let i = 0; i < 100; i++) await drain(await send()); // warm-up: JIT, connection pool
  const latencies: number[] = [];
  const before = cpuNow(children);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next++ < requests) {
        const s = performance.now();
        await drain(await send());
        latencies.push(performance.now() - s);
      }
    }),
  );
  const rps = requests / ((performance.now() - t0) / 1000);
  const sorted = sortedOf(latencies);
  const cpu = cpuNow(children).map((x, j) => x - before[j]!);
  return { p50: pct(sorted, 50), p99: pct(sorted, 99), rps, cpu: cpuPerRequest(children, cpu, requests) };
}

async function saturation(paths: Array<[label: string, send: Send]>, children: Child[]): Promise<void> {
  for (const [concurrency, requests] of [
    [1, Math.min(300, SAT_REQUESTS)],
    [STREAMS, SAT_REQUESTS],
  ] as const) {
    console.log(
      `\n== throughput at saturation: ${requests} streamed requests of ${SAT_TOKENS} tokens from an infinitely fast model, ${concurrency} concurrent, closed loop (latency here is CPU queueing, not per-request overhead) ==`,
    );
    console.log(`before: ${load()}`);
    const r = [];
    for (const [, send] of paths) r.push(await saturate(send, concurrency, requests, children));
    console.log('path                                   p50 ms    p99 ms     req/s   vs direct');
    for (const [i, [label]] of paths.entries()) {
      const x = r[i]!;
      console.log(
        `${label.padEnd(36)} ${f(x.p50)}  ${f(x.p99)}  ${x.rps.toFixed(0).padStart(8)}  ${(x.rps / r[0]!.rps).toFixed(2).padStart(9)}x`,
      );
    }
    if (concurrency === STREAMS) {
      console.log('CPU ms per request (user + system):');
      for (const [i, [label]] of paths.entries()) console.log(`  ${label}: ${r[i]!.cpu}`);
    }
    console.log(`after: ${load()}`);
  }
}

async function main(): Promise<void> {
  const emulator = await startChild('emulator');
  const [sat, real] = emulator.line.split(' ') as [string, string];
  const children: Child[] = [emulator];
  try {
    const gw = await startChild('gateway', sat, real);
    children.push(gw);
    const proxy = await startChild('proxy', sat, real);
    children.push(proxy);
    console.log(`node ${process.version}; gateway with SchedulerService (gxa) and a sqlite usage store`);
    await realistic(
      [
        ['emulator direct (/api/chat)', ollamaChat(`${real}/api/chat`, 'chat', spreadLengths(REAL_TOKENS))],
        [
          'bare pass-through proxy',
          ollamaChat(`${proxy.line}/real/api/chat`, 'chat', spreadLengths(REAL_TOKENS)),
        ],
        ['gateway (/v1/chat/completions)', openAIChat(gw.line, 'chat', spreadLengths(REAL_TOKENS))],
      ],
      children,
    );
    await saturation(
      [
        ['emulator direct (/api/chat)', ollamaChat(`${sat}/api/chat`, 'tiny', SAT_TOKENS)],
        ['bare pass-through proxy', ollamaChat(`${proxy.line}/sat/api/chat`, 'tiny', SAT_TOKENS)],
        ['gateway (/v1/chat/completions)', openAIChat(gw.line, 'fast', SAT_TOKENS)],
      ],
      children,
    );
  } finally {
    for (const c of children) c.stop();
  }
}

await main();
