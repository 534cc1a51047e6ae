// Gateway overhead, two cases side by side, on real sockets, with the emulator, the gateway (OpenAI
// face, auth, translation, the real scheduler, chain executor, usage row in sqlite) and this load
// generator in separate processes:
//
// 1. Realistic (the target): 100 concurrent streamed chats whose tokens arrive at model
//    speed (about 50 tok/s each, 64 tokens, emulator on the real clock), straight to the emulator,
//    through a TCP relay that parses nothing (the floor of any second hop on this machine: one more
//    process and socket pair), through a bare pass-through proxy and through the gateway, in
//    alternating rounds so all see the same machine. The gateway is not saturated here: this is
//    what it adds to a stream.
//    Two sets of figures per path, both printed:
//    - end to end, on the client's clock: time to first token (TTFT) and to the end of the body;
//      "added" is a percentile through the gateway minus the same percentile direct. These hold
//      the emulator's own time (about 21 ms to the first token), whose variance on 2 shared cores
//      is larger than what the gateway adds, so their p99 differences swing by tens of ms from run
//      to run whatever the gateway does.
//    - paired per request (delivery-stamps.ts; THE TARGETS ARE JUDGED ON THESE): the emulator
//      stamps when each request reached it and when it wrote the first token and the end; this
//      process stamps sending and receipt on the same machine-wide clock. Time outside the
//      emulator = (reached - sent) + (received - written), per request, to the first token and to
//      the end. Via the gateway it holds everything the gateway adds: the extra hop both ways,
//      auth, parsing, translation, the scheduler, encoding and every event-loop delay in the
//      gateway; only the emulator's own time (which production's Ollama, on another machine, has
//      whatever the gateway does) is left out. Added p50 / p99 = that percentile through the
//      gateway minus the same percentile direct (the requests differ, so the difference of
//      percentiles, not a percentile of differences). The paired p99 of each round on its own is
//      printed too: a stall of the machine lands in one round of one path and moves its pooled p99.
//      So is, per round, the worst event-loop delay of the processes idle in it: over STALL_MS, the
//      machine ran none of them for that long; the pooled paired p99 without such rounds (of every
//      path) is printed beside the verdict, which stays on all rounds.
//    Beside them, CPU ms per request of every process (from /proc), the time each process's main
//    thread waited for a core (run-queue wait, /proc/PID/schedstat: on 2 cores a third busy
//    process makes the others wait, and a token arriving then waits with them), and each process's
//    event-loop delay and GC pauses during the rounds (loop-stats.ts): a process stalled for N ms
//    delays every token that crosses it in that time, which is what p99 shows.
// 2. Throughput at saturation: the same request against an infinitely fast model in a closed loop,
//    so every process runs flat out; latency there is CPU queueing, not per-request overhead.
//    Reports requests per second direct / through a bare pass-through proxy / through the gateway.
//
// The machine is shared, so the load average is printed beside the figures. Asserts nothing. Knobs:
// BENCH_ROUNDS, BENCH_WINDOW_MS, BENCH_REQUESTS (saturation), BENCH_PROFILE_DIR (writes a
// --cpu-prof of the gateway process there), BENCH_GATEWAY_FLAGS (node flags of the gateway process),
// BENCH_USAGE_COST=1 (adds a gateway that does not wait for its usage rows' commit before the end
// of each answer, as before issue 19: the difference is what the durable row costs).
import { availableParallelism, loadavg } from 'node:os';
import { STAMPS_PATH, type EmissionStamps } from './delivery-stamps.ts';
import { CCR_VERSION, ensureCcr, startCcr } from './claude-code-router.ts';
import {
  anthropicChat,
  ollamaChat,
  openAIChat,
  round,
  spreadLengths,
  timed,
  type Send,
  type Timed,
} from './gateway-bench-load.ts';
import {
  pathFigures,
  printMachineStalls,
  printRatios,
  printRealistic,
  printRoundSpread,
  quantiles,
} from './gateway-bench-report.ts';
import { formatLoopStats, mergeLoopStats, takeLoopStats, type LoopStats } from './loop-stats.ts';
import {
  REAL_TOKENS_PER_SECOND,
  STREAMS,
  runQueueMsOf,
  startChild,
  stealMs,
  type Child,
} from './gateway-bench-processes.ts';

const REAL_TOKENS = 64;
/**
 * rounds per path, alternating. 4 since issue 19 (10 in sessions 5-7, for a steadier pooled p99
 * against the absolute 5 ms target, now retired): two faces of 4 paths each must fit in a few
 * minutes; BENCH_ROUNDS=10 for the steadier tail.
 */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
/** ms per round in which started requests are recorded */
const WINDOW_MS = Number(process.env.BENCH_WINDOW_MS ?? 5000);
const STREAM_MS = (REAL_TOKENS / REAL_TOKENS_PER_SECOND) * 1000;
/** ramp-up before recording (staggered starts) and padding after it, so recorded requests run
 * with STREAMS in flight from start to end */
const RAMP_MS = STREAM_MS + 300;
const PAD_MS = STREAM_MS * 1.5;
const SAT_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
/** ms of event-loop delay in a process idle in a round above which the machine stalled in it */
const STALL_MS = 40;
const SAT_TOKENS = 32;

const load = (): string =>
  `load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} on ${availableParallelism()} cores`;
const f = (x: number, w = 8): string => x.toFixed(2).padStart(w);

/** CPU ms used so far by each child and by this process (last) */
function cpuNow(children: Child[]): number[] {
  const self = process.cpuUsage();
  return [...children.map((c) => c.cpuMs()), (self.user + self.system) / 1000];
}

/** ms the main thread of each child and of this process (last) waited for a core so far */
function runQueueNow(children: Child[]): number[] {
  return [...children.map((c) => c.runQueueMs()), runQueueMsOf(process.pid)];
}

/** ms per request of each process, from the differences of two cpuNow() or runQueueNow() readings */
function perRequest(children: Child[], ms: number[], requests: number): string {
  const names = [...children.map((c) => c.role), 'load generator'];
  return names.map((n, i) => `${n} ${(ms[i]! / requests).toFixed(2)}`).join(', ');
}

/** the emulator's stamps gathered since the last call (delivery-stamps.ts) */
async function takeStamps(emulatorUrl: string): Promise<Map<string, EmissionStamps>> {
  const res = await fetch(`${emulatorUrl}${STAMPS_PATH}`);
  return new Map(Object.entries((await res.json()) as Record<string, EmissionStamps>));
}

/** a path of the realistic case: its label, its request, and the roles of the children it crosses */
type RealisticPath = [label: string, send: Send, roles: string[]];

async function realistic(
  face: string,
  paths: RealisticPath[],
  children: Child[],
  emulatorUrl: string,
): Promise<void> {
  console.log(
    `\n== realistic, ${face}: ${STREAMS} concurrent streams, ${REAL_TOKENS / 2}-${(REAL_TOKENS * 3) / 2} tokens each (mean ${REAL_TOKENS}, same lengths on every path) at ~${REAL_TOKENS_PER_SECOND} tok/s (emulator on the real clock), ${ROUNDS} alternating rounds of ${WINDOW_MS / 1000} s per path ==`,
  );
  console.log(`before: ${load()}`);
  /** path -> round -> requests recorded */
  const rounds = paths.map((): Timed[][] => []);
  const stamps = new Map<string, EmissionStamps>();
  for (const [, send] of paths) await Promise.all(Array.from({ length: 20 }, () => timed(send))); // warm-up
  await takeStamps(emulatorUrl);
  // per path, ms of each child and of this process (last), summed over its rounds
  const zeros = (): number[] => Array.from({ length: children.length + 1 }, () => 0);
  const cpu = paths.map(zeros);
  const waited = paths.map(zeros);
  const completed = paths.map(() => 0);
  const timing = { rampMs: RAMP_MS, windowMs: WINDOW_MS, padMs: PAD_MS, streamMs: STREAM_MS };
  const urls = children.map((c) => c.statsUrl);
  const loops = paths.map((): Array<LoopStats | undefined> => children.map(() => undefined));
  /** path -> round -> the worst loop delay of the children that path does not cross */
  const idleDelayMax = paths.map((): number[] => []);
  /** path -> round -> ms stolen by the hypervisor (stealMs) */
  const stolen = paths.map((): number[] => []);
  for (let r = 0; r < ROUNDS; r++)
    for (const [i, [, send]] of paths.entries()) {
      await Promise.all(urls.map(takeLoopStats));
      const before = cpuNow(children);
      const queued = runQueueNow(children);
      const recorded: Timed[] = [];
      const steal = stealMs();
      completed[i]! += await round(send, recorded, timing);
      stolen[i]!.push(stealMs() - steal);
      rounds[i]!.push(recorded);
      cpuNow(children).forEach((x, j) => (cpu[i]![j]! += x - before[j]!));
      runQueueNow(children).forEach((x, j) => (waited[i]![j]! += x - queued[j]!));
      const after = await Promise.all(urls.map(takeLoopStats));
      loops[i] = after.map((x, j) => mergeLoopStats(loops[i]![j], x));
      const idle = after.filter((_, j) => !paths[i]![2].includes(children[j]!.role));
      idleDelayMax[i]!.push(Math.max(...idle.map((x) => x.delayMax)));
      for (const [id, s] of await takeStamps(emulatorUrl)) stamps.set(id, s);
    }
  const seconds = (ROUNDS * WINDOW_MS) / 1000;
  const labels = paths.map(([label]) => label);
  const figures = labels.map((label, i) => pathFigures(label, rounds[i]!.flat(), stamps, seconds));
  printRealistic(figures);
  const gateway = labels.find((l) => l.startsWith('gateway'))!;
  printRatios(
    figures,
    gateway,
    labels.filter((l) => l.startsWith('bare') || l.startsWith('claude-code-router')),
  );
  printRoundSpread(labels, rounds, stamps);
  printMachineStalls(labels, rounds, stamps, { idleDelayMax, stolen }, STALL_MS);
  console.log('CPU ms per request (user + system, every request of the rounds):');
  for (const [i, label] of labels.entries())
    console.log(`  ${label}: ${perRequest(children, cpu[i]!, completed[i]!)}`);
  console.log(
    'run-queue wait ms per request (each main thread runnable with no core free; its event loop is late by that much):',
  );
  for (const [i, label] of labels.entries())
    console.log(`  ${label}: ${perRequest(children, waited[i]!, completed[i]!)}`);
  printLoops(labels, children, loops);
  console.log(`after: ${load()} (a negative difference is noise of the shared machine)`);
}

function printLoops(labels: string[], children: Child[], loops: Array<Array<LoopStats | undefined>>): void {
  console.log(
    'event loops during the rounds of each path (worst round; GC summed). A long delay in a process idle in those rounds is the machine stalling, not that process:',
  );
  for (const [i, label] of labels.entries())
    for (const [j, c] of children.entries())
      console.log(`  ${label}: ${c.role.padEnd(8)} ${formatLoopStats(loops[i]![j]!)}`);
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
  const cpu = cpuNow(children).map((x, j) => x - before[j]!);
  return {
    ...quantiles(latencies),
    rps,
    cpu: perRequest(children, cpu, requests),
  };
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
    const relay = await startChild('relay', sat, real);
    children.push(relay);
    const relayUrl = relay.line.split(' ')[0]!;
    const deferred = process.env.BENCH_USAGE_COST
      ? await startChild('gateway-deferred', sat, real)
      : undefined;
    if (deferred) children.push(deferred);
    console.log(`node ${process.version}; gateway with SchedulerService (gxa) and a sqlite usage store`);
    const ccrCli = ensureCcr();
    const ccr = 'cli' in ccrCli ? await startCcr(ccrCli.cli, { sat, real }) : undefined;
    if (ccr) children.push(ccr);
    if ('skipped' in ccrCli) console.log(`claude-code-router skipped: ${ccrCli.skipped}`);
    const CCR = `claude-code-router ${CCR_VERSION}`;
    await realistic(
      'Ollama face',
      [
        [
          'emulator direct (/api/chat)',
          ollamaChat(`${real}/api/chat`, 'chat', spreadLengths(REAL_TOKENS)),
          ['emulator'],
        ],
        [
          'TCP relay (floor of a hop)',
          ollamaChat(`${relayUrl}/api/chat`, 'chat', spreadLengths(REAL_TOKENS)),
          ['emulator', 'relay'],
        ],
        [
          'bare pass-through proxy',
          ollamaChat(`${proxy.line}/real/api/chat`, 'chat', spreadLengths(REAL_TOKENS)),
          ['emulator', 'proxy'],
        ],
        [
          'gateway (/v1/chat/completions)',
          openAIChat(gw.line, 'chat', spreadLengths(REAL_TOKENS)),
          ['emulator', 'gateway'],
        ],
        ...(deferred
          ? [
              [
                'gateway, usage row not awaited',
                openAIChat(deferred.line, 'chat', spreadLengths(REAL_TOKENS)),
                ['emulator', 'gateway-deferred'],
              ] satisfies RealisticPath,
            ]
          : []),
      ],
      children,
      real,
    );
    // the Anthropic face, as Claude Code calls it: the gateway translates to Ollama's /api/chat,
    // claude-code-router to the emulator's OpenAI-compatible endpoint, which direct and the bare
    // proxy call as it is
    await realistic(
      'Anthropic face (/v1/messages) against the OpenAI-compatible endpoint',
      [
        [
          'emulator direct (/v1/chat/completions)',
          openAIChat(real, 'chat', spreadLengths(REAL_TOKENS)),
          ['emulator'],
        ],
        [
          'bare pass-through proxy (OpenAI)',
          openAIChat(`${proxy.line}/real`, 'chat', spreadLengths(REAL_TOKENS)),
          ['emulator', 'proxy'],
        ],
        ...(ccr
          ? [
              [
                `${CCR} (/v1/messages)`,
                anthropicChat(ccr.line, 'real,chat', spreadLengths(REAL_TOKENS)),
                ['emulator', 'ccr'],
              ] satisfies RealisticPath,
            ]
          : []),
        [
          'gateway (/v1/messages)',
          anthropicChat(gw.line, 'chat', spreadLengths(REAL_TOKENS)),
          ['emulator', 'gateway'],
        ],
      ],
      children,
      real,
    );
    await saturation(
      [
        ['emulator direct (/api/chat)', ollamaChat(`${sat}/api/chat`, 'tiny', SAT_TOKENS)],
        ['bare pass-through proxy', ollamaChat(`${proxy.line}/sat/api/chat`, 'tiny', SAT_TOKENS)],
        ['gateway (/v1/chat/completions)', openAIChat(gw.line, 'fast', SAT_TOKENS)],
        ['emulator direct (/v1/chat/completions)', openAIChat(sat, 'tiny', SAT_TOKENS)],
        ['bare pass-through proxy (OpenAI)', openAIChat(`${proxy.line}/sat`, 'tiny', SAT_TOKENS)],
        ...(ccr
          ? [[`${CCR} (/v1/messages)`, anthropicChat(ccr.line, 'sat,tiny', SAT_TOKENS)] as [string, Send]]
          : []),
        ['gateway (/v1/messages)', anthropicChat(gw.line, 'fast', SAT_TOKENS)],
        ...(deferred
          ? [
              ['gateway, usage row not awaited', openAIChat(deferred.line, 'fast', SAT_TOKENS)] as [
                string,
                Send,
              ],
            ]
          : []),
      ],
      children,
    );
  } finally {
    for (const c of children) c.stop();
  }
}

await main();
