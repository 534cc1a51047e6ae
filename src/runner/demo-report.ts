// Sums up one demo run per policy and prints them side by side. Waits are what a call spent
// neither prefilling nor decoding: queueing in the scheduler plus loading its model (seconds of
// the demo's clock, which is the emulated fleet's).
import type { UsageRecord } from '../store/usage-record.ts';
import type { DemoCall } from './demo-agents.ts';
import { median, percentile } from '../lib/stats.ts';

export interface LoadSpan {
  server: string;
  model: string;
  startMs: number;
  endMs: number;
}

export interface DemoRun {
  policy: string;
  calls: DemoCall[];
  loads: LoadSpan[];
  unloads: number;
  rows: UsageRecord[];
  savedUsd: number;
  baselineModel?: string;
}

export interface DemoSummary {
  policy: string;
  calls: number;
  failed: number;
  loads: number;
  unloads: number;
  loadSeconds: number;
  makespanSeconds: number;
  wait: { p50: number; p95: number; max: number };
  maxWaitByAlias: Record<string, number>;
  inputTokens: number;
  outputTokens: number;
  savedUsd: number;
}

const waitSeconds = (r: UsageRecord): number => Math.max(0, r.totalMs - r.prefillMs - r.decodeMs) / 1000;

export function summarizeRun(run: DemoRun): DemoSummary {
  const waits = run.rows.map(waitSeconds).sort((a, b) => a - b);
  const byAlias: Record<string, number> = {};
  for (const r of run.rows) {
    const key = r.alias ?? '(none)';
    byAlias[key] = Math.max(byAlias[key] ?? 0, waitSeconds(r));
  }
  const start = Math.min(...run.calls.map((c) => c.startMs));
  const end = Math.max(...run.calls.map((c) => c.endMs));
  return {
    policy: run.policy,
    calls: run.calls.length,
    failed: run.calls.filter((c) => c.status >= 400).length,
    loads: run.loads.length,
    unloads: run.unloads,
    loadSeconds: run.loads.reduce((a, l) => a + (l.endMs - l.startMs), 0) / 1000,
    makespanSeconds: run.calls.length === 0 ? 0 : (end - start) / 1000,
    wait: { p50: percentile(waits, 50), p95: percentile(waits, 95), max: percentile(waits, 100) },
    maxWaitByAlias: byAlias,
    inputTokens: run.rows.reduce((a, r) => a + r.inputTokens, 0),
    outputTokens: run.rows.reduce((a, r) => a + r.outputTokens, 0),
    savedUsd: run.savedUsd,
  };
}

/** Per-field medians of one policy's summaries over several seeds. */
export function medianSummary(runs: readonly DemoSummary[]): DemoSummary {
  const first = runs[0];
  if (!first) throw new RangeError('medianSummary needs at least one summary');
  const m = (f: (x: DemoSummary) => number): number => median(runs.map(f));
  const aliases = [...new Set(runs.flatMap((r) => Object.keys(r.maxWaitByAlias)))];
  return {
    policy: first.policy,
    calls: m((x) => x.calls),
    failed: m((x) => x.failed),
    loads: m((x) => x.loads),
    unloads: m((x) => x.unloads),
    loadSeconds: m((x) => x.loadSeconds),
    makespanSeconds: m((x) => x.makespanSeconds),
    wait: { p50: m((x) => x.wait.p50), p95: m((x) => x.wait.p95), max: m((x) => x.wait.max) },
    maxWaitByAlias: Object.fromEntries(aliases.map((a) => [a, m((x) => x.maxWaitByAlias[a] ?? 0)])),
    inputTokens: m((x) => x.inputTokens),
    outputTokens: m((x) => x.outputTokens),
    savedUsd: m((x) => x.savedUsd),
  };
}

const s = (n: number): string => `${n.toFixed(1)} s`;

/** A table with one column per policy, and a line comparing the first policy with the others. */
export function formatComparison(summaries: readonly DemoSummary[]): string[] {
  const aliases = [...new Set(summaries.flatMap((x) => Object.keys(x.maxWaitByAlias)))].sort();
  const rows: Array<[string, ...string[]]> = [
    ['policy', ...summaries.map((x) => x.policy)],
    ['calls (failed)', ...summaries.map((x) => `${x.calls} (${x.failed})`)],
    ['model loads', ...summaries.map((x) => String(x.loads))],
    ['load time', ...summaries.map((x) => s(x.loadSeconds))],
    ['makespan', ...summaries.map((x) => s(x.makespanSeconds))],
    ['wait p50', ...summaries.map((x) => s(x.wait.p50))],
    ['wait p95', ...summaries.map((x) => s(x.wait.p95))],
    ['wait max', ...summaries.map((x) => s(x.wait.max))],
    ...aliases.map((a): [string, ...string[]] => [
      `max wait ${a}`,
      ...summaries.map((x) => s(x.maxWaitByAlias[a] ?? 0)),
    ]),
    ['tokens in / out', ...summaries.map((x) => `${x.inputTokens} / ${x.outputTokens}`)],
    ['saved vs cloud', ...summaries.map((x) => `$${x.savedUsd.toFixed(4)}`)],
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  const lines = rows.map((r) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '),
  );
  const [first, ...rest] = summaries;
  if (first)
    for (const other of rest) {
      const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}x` : 'n/a');
      lines.push(
        `${first.policy} vs ${other.policy}: loads ${ratio(first.loads, other.loads)}, load time ${ratio(first.loadSeconds, other.loadSeconds)}, ` +
          `max wait ${ratio(first.wait.max, other.wait.max)}, p95 wait ${ratio(first.wait.p95, other.wait.p95)}, makespan ${ratio(first.makespanSeconds, other.makespanSeconds)}`,
      );
    }
  return lines;
}

/**
 * Why calls failed, per policy, most frequent first: the table only counts them, and a user who
 * sees "(7)" needs the reason (a prompt past the model's context, a timeout, ...). Messages that
 * differ only in their numbers count as one reason, shown by its first example.
 */
export function formatFailures(runs: readonly DemoRun[]): string[] {
  const reasons = new Map<string, { example: string; n: number }>();
  for (const run of runs)
    for (const c of run.calls) {
      if (c.status < 400) continue;
      const why = (c.error ?? '(no message)').replace(/\s+/g, ' ').slice(0, 240);
      const example = `${run.policy}: HTTP ${c.status}: ${why}`;
      const key = example.replace(/\d+/g, '#');
      const r = reasons.get(key);
      if (r) r.n++;
      else reasons.set(key, { example, n: 1 });
    }
  if (reasons.size === 0) return [];
  const sorted = [...reasons.values()].sort((a, b) => b.n - a.n || (a.example < b.example ? -1 : 1));
  return ['failed calls, every seed:', ...sorted.map((r) => `  ${r.n} x ${r.example}`)];
}
