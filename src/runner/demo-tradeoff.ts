// The demo's wait-target trade-off (issue 19, part 1): GXA at several wait targets against Ollama's
// point, on the same agents and seeds, so a user sees what a tighter bound costs in median wait and
// loads, and where the knee of the curve is.
import type { DemoSummary } from './demo-report.ts';

export interface TradeoffRow {
  /** W_target, seconds (Infinity: unbounded) */
  waitTargetSeconds: number;
  gxa: DemoSummary;
}

/** one line per wait target: loads, median and max wait, each with its ratio to Ollama's */
export function formatDemoTradeoff(ollama: DemoSummary, rows: readonly TradeoffRow[]): string[] {
  const r = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}x` : '-');
  const cell = (v: number, base: number, digits: number): string => `${v.toFixed(digits)} ${r(v, base)}`;
  const line = (name: string, s: DemoSummary): string =>
    `${name.padEnd(16)}${cell(s.loads, ollama.loads, 0).padStart(12)}${cell(s.wait.p50, ollama.wait.p50, 1).padStart(16)}${cell(s.wait.max, ollama.wait.max, 1).padStart(16)}${cell(s.makespanSeconds, ollama.makespanSeconds, 0).padStart(15)}`;
  const out = [
    'wait target trade-off (medians over seeds; ratios to Ollama)',
    `${'point'.padEnd(16)}${'loads'.padStart(12)}${'wait p50 s'.padStart(16)}${'wait max s'.padStart(16)}${'makespan s'.padStart(15)}`,
    line('ollama', ollama),
  ];
  for (const row of rows) {
    const w = Number.isFinite(row.waitTargetSeconds) ? `${row.waitTargetSeconds} s` : 'unbounded';
    out.push(line(`gxa W=${w}`, row.gxa));
  }
  const both = rows.filter(
    (x) => x.gxa.wait.p50 <= 1.2 * ollama.wait.p50 && x.gxa.wait.max <= 0.5 * ollama.wait.max,
  );
  out.push(
    both.length > 0
      ? `points with median wait <= 1.2x and max wait <= 0.5x Ollama's: ${both.map((x) => x.waitTargetSeconds).join(', ')} s`
      : "no point has both median wait <= 1.2x and max wait <= 0.5x Ollama's: a tighter bound costs median wait",
  );
  return out;
}

/** parses "300,600,inf" into seconds */
export function parseWaitTargets(text: string): number[] {
  return text.split(',').map((p) => {
    const t = p.trim();
    if (t === 'inf' || t === 'unbounded') return Infinity;
    const n = Number(t);
    if (!Number.isFinite(n) || n <= 0)
      throw new RangeError(`expected seconds > 0 or "inf", found ${JSON.stringify(t)}`);
    return n;
  });
}
