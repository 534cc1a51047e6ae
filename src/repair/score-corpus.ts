// Scores the repair ladder on a corpus of real model outputs: per case, how many of the expected
// calls came back exactly (name and arguments), how many calls came back that were not expected
// (false calls), and which rung produced each; then the recovery table per form and per rung.
// Pure: the caller reads the corpus file (test/fixtures/toolcalls/corpus.jsonl).
import { deepEqual } from './coerce-to-schema.ts';
import { toOfferedTools } from './offered-tools.ts';
import { repairToolCallsSync } from './repair-tool-calls-sync.ts';
import { RUNG_NAMES, type RepairRung, type RepairVerdict } from './repair-types.ts';

export interface CorpusCase {
  id: string;
  /** how the model wrote its calls (`non_call` for replies without one) */
  form: string;
  /** where the output's shape comes from: an issue, a paper, a model card, a chat template */
  source: string;
  raw: string;
  /** OpenAI-style tools array, or null when the offered tools are not known */
  tools: unknown[] | null;
  native?: { name: string; arguments: unknown }[];
  expected: { name: string; arguments: Record<string, unknown> }[];
  /** the verdict the ladder must give, when the case checks it */
  verdict?: RepairVerdict;
}

export interface CaseScore {
  id: string;
  form: string;
  expected: number;
  recovered: number;
  falseCalls: number;
  verdict: RepairVerdict;
  verdictOk: boolean;
  /** the rung of each recovered call */
  rungs: RepairRung[];
}

export function scoreCase(c: CorpusCase): CaseScore {
  const r = repairToolCallsSync({ text: c.raw, nativeCalls: c.native }, toOfferedTools(c.tools));
  const left = [...r.calls];
  const rungs: RepairRung[] = [];
  for (const e of c.expected) {
    const at = left.findIndex((g) => g.name === e.name && deepEqual(g.arguments, e.arguments));
    if (at < 0) continue;
    rungs.push(left[at]!.rung);
    left.splice(at, 1);
  }
  const inOrder =
    r.calls.length === c.expected.length && r.calls.every((g, i) => g.name === c.expected[i]!.name);
  return {
    id: c.id,
    form: c.form,
    expected: c.expected.length,
    // several calls must also come back in the reply's order
    recovered: inOrder || c.expected.length <= 1 ? rungs.length : 0,
    falseCalls: left.length,
    verdict: r.verdict,
    verdictOk: c.verdict === undefined || c.verdict === r.verdict,
    rungs,
  };
}

export interface CorpusTotals {
  cases: number;
  nonCallCases: number;
  expected: number;
  recovered: number;
  falseCalls: number;
  /** false calls from cases that have no call at all */
  falseCallsFromNonCalls: number;
  verdictMisses: string[];
}

export function totals(scores: readonly CaseScore[]): CorpusTotals {
  return {
    cases: scores.length,
    nonCallCases: scores.filter((s) => s.expected === 0).length,
    expected: sum(scores.map((s) => s.expected)),
    recovered: sum(scores.map((s) => s.recovered)),
    falseCalls: sum(scores.map((s) => s.falseCalls)),
    falseCallsFromNonCalls: sum(scores.filter((s) => s.expected === 0).map((s) => s.falseCalls)),
    verdictMisses: scores.filter((s) => !s.verdictOk).map((s) => s.id),
  };
}

/** The recovery table: per form (cases, recovered / expected calls, false calls), then per rung. */
export function recoveryTable(scores: readonly CaseScore[]): string[] {
  const forms = [...new Set(scores.map((s) => s.form))].sort();
  const width = Math.max(8, ...forms.map((f) => f.length));
  const lines = [`${'form'.padEnd(width)}  cases  recovered  false calls`];
  const row = (label: string, ss: readonly CaseScore[]): string => {
    const t = totals(ss);
    const rec = t.expected === 0 ? '-' : `${t.recovered}/${t.expected}`;
    return `${label.padEnd(width)}  ${String(t.cases).padStart(5)}  ${rec.padStart(9)}  ${String(t.falseCalls).padStart(11)}`;
  };
  for (const f of forms)
    lines.push(
      row(
        f,
        scores.filter((s) => s.form === f),
      ),
    );
  const all = totals(scores);
  lines.push(row('all', scores));
  const pct = all.expected === 0 ? 0 : (100 * all.recovered) / all.expected;
  lines.push(
    `recovered exactly: ${pct.toFixed(1)}%; false calls from replies without one: ${all.falseCallsFromNonCalls}`,
  );
  lines.push('', 'rung           recovered calls');
  const rungs = scores.flatMap((s) => s.rungs);
  for (const r of [1, 2, 3, 4, 5, 6] as RepairRung[])
    lines.push(
      `${`${r} ${RUNG_NAMES[r]}`.padEnd(14)} ${String(rungs.filter((x) => x === r).length).padStart(15)}`,
    );
  return lines;
}

/** Parses the corpus file's text (JSONL); an error names the line. */
export function parseCorpus(text: string, name: string): CorpusCase[] {
  return text
    .split('\n')
    .map((line, i) => [line, i + 1] as const)
    .filter(([line]) => line.trim() !== '')
    .map(([line, n]) => {
      const c = JSON.parse(line) as CorpusCase;
      if (
        typeof c.id !== 'string' ||
        typeof c.raw !== 'string' ||
        typeof c.source !== 'string' ||
        !Array.isArray(c.expected)
      )
        throw new Error(`${name}:${n}: a case needs id, raw, source and expected`);
      return c;
    });
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
