import { describe, expect, it } from 'vitest';
import {
  formatComparison,
  formatFailures,
  medianSummary,
  type DemoRun,
  type DemoSummary,
} from './demo-report.ts';

const summary = (policy: string, loads: number, maxWait: number): DemoSummary => ({
  policy,
  calls: 10,
  failed: 0,
  loads,
  unloads: loads - 1,
  loadSeconds: loads * 20,
  makespanSeconds: 1000 + loads,
  wait: { p50: maxWait / 4, p95: maxWait / 2, max: maxWait },
  maxWaitByAlias: { a: maxWait },
  inputTokens: 100,
  outputTokens: 10,
  savedUsd: 0.01,
});

describe('demo report', () => {
  it('takes per-field medians over seeds', () => {
    const m = medianSummary([summary('gxa', 3, 100), summary('gxa', 9, 50), summary('gxa', 5, 400)]);
    expect(m.loads).toBe(5);
    expect(m.wait.max).toBe(100);
    expect(m.maxWaitByAlias.a).toBe(100);
    expect(medianSummary([summary('x', 2, 10), summary('x', 4, 30)]).loads).toBe(3);
    expect(() => medianSummary([])).toThrow(RangeError);
  });

  it('compares the first policy with the others as ratios', () => {
    const lines = formatComparison([summary('gxa', 4, 100), summary('ollama', 8, 400)]);
    expect(lines[0]).toMatch(/^policy\s+gxa\s+ollama$/);
    expect(lines.at(-1)).toBe(
      'gxa vs ollama: loads 0.50x, load time 0.50x, max wait 0.25x, p95 wait 0.25x, makespan 1.00x',
    );
  });

  it('says why calls failed, one line per reason whatever its numbers, most frequent first', () => {
    const call = (status: number, error?: string) => ({
      agent: 'a',
      alias: 'x',
      turn: 1,
      startMs: 0,
      endMs: 1,
      status,
      outputChars: 0,
      ...(error === undefined ? {} : { error }),
    });
    const tooLong = (n: number): string => `the prompt (about ${n} tokens)\n does not fit`;
    const run: DemoRun = {
      policy: 'gxa',
      calls: [call(200), call(400, tooLong(8188)), call(400, tooLong(8300)), call(599, 'socket hang up')],
      loads: [],
      unloads: 0,
      rows: [],
      savedUsd: 0,
    };
    expect(formatFailures([run])).toEqual([
      'failed calls, every seed:',
      '  2 x gxa: HTTP 400: the prompt (about 8188 tokens) does not fit',
      '  1 x gxa: HTTP 599: socket hang up',
    ]);
    expect(formatFailures([{ ...run, calls: [call(200)] }])).toEqual([]);
  });
});
