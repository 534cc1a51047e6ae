// Event-loop delay and GC pauses of a benchmark process, served at GET /bench/loop (then reset): a
// request waits for whatever holds its process's event loop, so a tail latency (p99) that a
// process adds is read beside the stalls of its loop. Bench code only.
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import type { Handler } from './delivery-stamps.ts';

export const LOOP_PATH = '/bench/loop';

export interface LoopStats {
  /** event-loop delay percentiles and maximum, ms (sampled every ms) */
  delayP50: number;
  delayP99: number;
  delayMax: number;
  gcCount: number;
  gcMaxMs: number;
  gcTotalMs: number;
  /** of which full (mark-compact) collections */
  gcMajor: number;
  /** MiB of JS heap in use when the stats were taken (the last round's, once merged) */
  heapMiB: number;
}

/** wraps a process's fetch handler with GET /bench/loop */
export function withLoopStats(inner: Handler): Handler {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let gc = { count: 0, max: 0, total: 0, major: 0 };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      gc.count++;
      if (
        ((e as { detail?: unknown }).detail as { kind?: number } | undefined)?.kind ===
        constants.NODE_PERFORMANCE_GC_MAJOR
      )
        gc.major++;
      gc.max = Math.max(gc.max, e.duration);
      gc.total += e.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  return (req, env) => {
    if (req.method !== 'GET' || !req.url.endsWith(LOOP_PATH)) return inner(req, env);
    const stats: LoopStats = {
      delayP50: delay.percentile(50) / 1e6,
      delayP99: delay.percentile(99) / 1e6,
      delayMax: delay.max / 1e6,
      gcCount: gc.count,
      gcMaxMs: gc.max,
      gcTotalMs: gc.total,
      gcMajor: gc.major,
      heapMiB: process.memoryUsage().heapUsed / 2 ** 20,
    };
    delay.reset();
    gc = { count: 0, max: 0, total: 0, major: 0 };
    return Response.json(stats);
  };
}

/** a process's stats since the last call (the load generator's side) */
export async function takeLoopStats(url: string): Promise<LoopStats> {
  // a process that serves no stats (claude-code-router): nothing known
  if (url === '')
    return {
      delayP50: 0,
      delayP99: 0,
      delayMax: 0,
      gcCount: 0,
      gcMaxMs: 0,
      gcTotalMs: 0,
      gcMajor: 0,
      heapMiB: 0,
    };
  return (await (await fetch(`${url}${LOOP_PATH}`)).json()) as LoopStats;
}

/** the worst of several rounds' stalls and the sum of their GC */
export function mergeLoopStats(a: LoopStats | undefined, b: LoopStats): LoopStats {
  if (!a) return b;
  return {
    delayP50: Math.max(a.delayP50, b.delayP50),
    delayP99: Math.max(a.delayP99, b.delayP99),
    delayMax: Math.max(a.delayMax, b.delayMax),
    gcCount: a.gcCount + b.gcCount,
    gcMaxMs: Math.max(a.gcMaxMs, b.gcMaxMs),
    gcTotalMs: a.gcTotalMs + b.gcTotalMs,
    gcMajor: a.gcMajor + b.gcMajor,
    heapMiB: b.heapMiB,
  };
}

export function formatLoopStats(s: LoopStats): string {
  const f = (x: number): string => x.toFixed(1);
  return `loop delay p50 ${f(s.delayP50)} p99 ${f(s.delayP99)} max ${f(s.delayMax)} ms, GC ${s.gcCount}x (${s.gcMajor} full) max ${f(s.gcMaxMs)} total ${f(s.gcTotalMs)} ms, heap ${f(s.heapMiB)} MiB`;
}
