// The realistic case's figures: end to end as the client sees them, and paired per request with the
// emulator's stamps (delivery-stamps.ts): the time outside the emulator. Targets (issue 5: p50 <= 1
// ms and p99 <= 5 ms added against calling the emulator directly) are judged on the paired figures;
// the end-to-end ones are printed beside them.
import { percentile } from '../src/lib/stats.ts';
import type { EmissionStamps } from './delivery-stamps.ts';
import type { Timed } from './gateway-bench-load.ts';

const f = (x: number, w = 8): string => x.toFixed(2).padStart(w);
const sortedOf = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);

interface Quantiles {
  p50: number;
  p99: number;
}

export const quantiles = (xs: number[]): Quantiles => {
  const s = sortedOf(xs);
  return { p50: percentile(s, 50), p99: percentile(s, 99) };
};

export interface PathFigures {
  label: string;
  n: number;
  rps: number;
  ttft: Quantiles;
  total: Quantiles;
  /** requests matched with the emulator's stamps */
  paired: number;
  /** the request's way in: the emulator got it - sent */
  inbound: Quantiles;
  /** inbound + (first content received - first content written by the emulator) */
  ttftOutside: Quantiles;
  /** inbound + (end received - end written by the emulator) */
  totalOutside: Quantiles;
  /** the emulator's own time to the first token (first written - arrived): not the gateway's */
  emulatorTtft: Quantiles;
}

export function pathFigures(
  label: string,
  xs: Timed[],
  stamps: ReadonlyMap<string, EmissionStamps>,
  seconds: number,
): PathFigures {
  const inbound: number[] = [];
  const ttftOutside: number[] = [];
  const totalOutside: number[] = [];
  const emulatorTtft: number[] = [];
  for (const x of xs) {
    const s = stamps.get(x.id);
    if (s?.first === undefined || s.last === undefined) continue;
    const way = s.arrived - x.sent;
    inbound.push(way);
    ttftOutside.push(way + (x.first - s.first));
    totalOutside.push(way + (x.last - s.last));
    emulatorTtft.push(s.first - s.arrived);
  }
  return {
    label,
    n: xs.length,
    rps: xs.length / seconds,
    ttft: quantiles(xs.map((x) => x.first - x.sent)),
    total: quantiles(xs.map((x) => x.last - x.sent)),
    paired: inbound.length,
    inbound: quantiles(inbound),
    ttftOutside: quantiles(ttftOutside),
    totalOutside: quantiles(totalOutside),
    emulatorTtft: quantiles(emulatorTtft),
  };
}

const row = (q: Quantiles, w = 8): string => `${f(q.p50, w)}  ${f(q.p99, w)}`;
const diff = (a: Quantiles, b: Quantiles): Quantiles => ({ p50: a.p50 - b.p50, p99: a.p99 - b.p99 });

/**
 * The gateway judged against the other second hops of the same run (the absolute 1 ms / 5 ms
 * targets are retired: these machines are shared and noisy): its paired added time over a bare
 * proxy's (goal <= 1.5x) and over claude-code-router's, per percentile. A denominator under
 * 0.05 ms gives no ratio.
 */
export function printRatios(paths: PathFigures[], gateway: string, others: string[]): void {
  const d = paths[0]!;
  const byLabel = (label: string): PathFigures | undefined => paths.find((p) => p.label === label);
  const g = byLabel(gateway);
  if (!g) return;
  const added = (x: PathFigures) => ({
    ttft: diff(x.ttftOutside, d.ttftOutside),
    total: diff(x.totalOutside, d.totalOutside),
  });
  const a = added(g);
  const ratio = (num: number, den: number): string => (den < 0.05 ? '  n/a' : `${(num / den).toFixed(2)}x`);
  for (const label of others) {
    const o = byLabel(label);
    if (!o) continue;
    const b = added(o);
    const goal = label.startsWith('bare') ? ' (goal <= 1.5x)' : '';
    console.log(
      `${gateway} added / ${label} added${goal}: TTFT p50 ${ratio(a.ttft.p50, b.ttft.p50)} (${f(a.ttft.p50, 0)} / ${f(b.ttft.p50, 0)} ms), p99 ${ratio(a.ttft.p99, b.ttft.p99)} (${f(a.ttft.p99, 0)} / ${f(b.ttft.p99, 0)}); total p50 ${ratio(a.total.p50, b.total.p50)} (${f(a.total.p50, 0)} / ${f(b.total.p50, 0)}), p99 ${ratio(a.total.p99, b.total.p99)} (${f(a.total.p99, 0)} / ${f(b.total.p99, 0)})`,
    );
  }
}

/** prints both tables and the added rows against the first path */
export function printRealistic(paths: PathFigures[]): void {
  const d = paths[0]!;
  console.log('end to end (client clock only; includes the emulator own timing noise):');
  console.log(
    'path                                      n  TTFT p50  TTFT p99  total p50  total p99   req/s',
  );
  for (const x of paths)
    console.log(
      `${x.label.padEnd(36)} ${String(x.n).padStart(5)}  ${row(x.ttft)}  ${row(x.total, 9)}  ${f(x.rps, 6)}`,
    );
  for (const x of paths.slice(1))
    console.log(
      `${`added: ${x.label}`.padEnd(36)}        ${row(diff(x.ttft, d.ttft))}  ${row(diff(x.total, d.total), 9)}`,
    );
  console.log(
    'paired with the emulator stamps: time outside the emulator (request in + delivery out), ms; the targets are judged here:',
  );
  console.log(
    'path                                 paired   in p50    in p99  TTFT-out p50  p99  total-out p50  p99  emul. TTFT p50',
  );
  for (const x of paths)
    console.log(
      `${x.label.padEnd(36)} ${String(x.paired).padStart(6)} ${row(x.inbound)}  ${row(x.ttftOutside)}  ${row(x.totalOutside)}  ${f(x.emulatorTtft.p50)}`,
    );
  for (const x of paths.slice(1))
    console.log(
      `${`added: ${x.label}`.padEnd(36)}        ${row(diff(x.inbound, d.inbound))}  ${row(diff(x.ttftOutside, d.ttftOutside))}  ${row(diff(x.totalOutside, d.totalOutside))}`,
    );
}

/**
 * The paired p99 added of each round on its own (round r of a path against round r direct). A
 * stall of the machine (tens to hundreds of ms) lands in one round of one path and moves that
 * path's pooled p99; the spread over rounds shows how much of a pooled figure is such luck.
 */
export function printRoundSpread(
  labels: string[],
  rounds: Timed[][][],
  stamps: ReadonlyMap<string, EmissionStamps>,
): void {
  const byRound = rounds.map((path, i) => path.map((xs) => pathFigures(labels[i]!, xs, stamps, 1)));
  console.log('paired p99 added, each round on its own (ms): TTFT-out | total-out');
  for (const [i, label] of labels.entries()) {
    if (i === 0) continue;
    const added = byRound[i]!.map((x, r) => diff(x.ttftOutside, byRound[0]![r]!.ttftOutside).p99);
    const total = byRound[i]!.map((x, r) => diff(x.totalOutside, byRound[0]![r]!.totalOutside).p99);
    const list = (xs: number[]): string => xs.map((x) => x.toFixed(1)).join(' ');
    console.log(`  ${label.padEnd(34)} ${list(added)} | ${list(total)}`);
  }
}

/**
 * The machine stalls seen in each path's rounds, and the paired figures without those rounds. A
 * process idle in a round (not on that path) has nothing to do but its 1 ms loop-delay sampler, so
 * a delay of tens of ms there means the machine ran none of our processes for that long (another
 * tenant, the hypervisor): every stream crossing it waits too, on any path. The hypervisor's steal
 * in each round is printed beside it. Printed beside the pooled figures, which stay the verdict.
 */
export function printMachineStalls(
  labels: string[],
  rounds: Timed[][][],
  stamps: ReadonlyMap<string, EmissionStamps>,
  per: {
    /** path -> round -> the worst event-loop delay of the processes idle in that round, ms */
    idleDelayMax: number[][];
    /** path -> round -> CPU ms the hypervisor took from this machine's vCPUs (steal) */
    stolen: number[][];
  },
  thresholdMs: number,
): void {
  const { idleDelayMax, stolen } = per;
  console.log(
    `machine stalls: per round, the worst event-loop delay of the processes idle in it, ms (over ${thresholdMs} ms: the machine stalled, *), and the CPU ms stolen by the hypervisor (steal):`,
  );
  const kept = rounds.map((path, i) => path.filter((_, r) => idleDelayMax[i]![r]! <= thresholdMs));
  for (const [i, label] of labels.entries()) {
    const list = idleDelayMax[i]!.map((x) => `${x.toFixed(0)}${x > thresholdMs ? '*' : ''}`).join(' ');
    const steal = stolen[i]!.map((x) => x.toFixed(0)).join(' ');
    console.log(`  ${label.padEnd(34)} ${list} | steal ${steal}`);
  }
  const figures = kept.map((path, i) => pathFigures(labels[i]!, path.flat(), stamps, 1));
  const d = figures[0]!;
  console.log(
    'paired p99 added without the stalled rounds of every path (for reading the pooled figures, not the verdict):',
  );
  for (const [i, x] of figures.entries()) {
    if (i === 0) continue;
    console.log(
      `  ${x.label.padEnd(34)} TTFT-out ${f(x.ttftOutside.p99 - d.ttftOutside.p99, 6)}  total-out ${f(x.totalOutside.p99 - d.totalOutside.p99, 6)}  (${kept[i]!.length} of ${rounds[i]!.length} rounds; direct ${kept[0]!.length})`,
    );
  }
}
