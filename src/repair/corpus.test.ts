// The acceptance bar of issue 15 on the project corpus of real model outputs: at least 95% of the
// extractable calls recovered exactly, no call from a reply that has none, verdicts as recorded.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCorpus, recoveryTable, scoreCase, totals, type CorpusCase } from './score-corpus.ts';

const FILE = new URL('../../test/fixtures/toolcalls/corpus.jsonl', import.meta.url);
const cases = parseCorpus(readFileSync(FILE, 'utf8'), 'corpus.jsonl');
const scores = cases.map(scoreCase);
const t = totals(scores);

describe('the tool-call corpus', () => {
  it('is big and varied enough to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
    expect(t.nonCallCases).toBeGreaterThanOrEqual(12);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    for (const c of cases) expect(c.source.length, c.id).toBeGreaterThan(10);
    const forms = new Set(cases.map((c) => c.form));
    for (const f of [
      'tool_call_tag',
      'tools_tag',
      'pipe_tool_call',
      'fenced',
      'json',
      'python',
      'mistral',
      'python_tag',
      'function_tag',
      'function_gemma',
      'gemma4',
      'tool_code',
      'tool_name_tag',
      'xml_tag',
      'deepseek',
      'kimi',
      'harmony',
      'repeat',
      'native',
      'non_call',
    ])
      expect(forms, f).toContain(f);
  });

  it('recovers at least 95% of the calls exactly and no call from a reply without one', () => {
    const misses = scores.filter((s) => s.recovered < s.expected || s.falseCalls > 0).map((s) => s.id);
    expect(
      t.recovered / t.expected,
      `missed: ${misses.join(', ')}\n${recoveryTable(scores).join('\n')}`,
    ).toBeGreaterThanOrEqual(0.95);
    expect(t.falseCallsFromNonCalls).toBe(0);
    expect(t.falseCalls).toBe(0);
    expect(t.verdictMisses).toEqual([]);
  });

  it('can fail: a corpus whose expectations are wrong scores below the bar', () => {
    const wrong: CorpusCase[] = cases
      .filter((c) => c.expected.length > 0)
      .map((c) => ({ ...c, expected: c.expected.map((e) => ({ ...e, name: `${e.name}_x` })) }));
    expect(totals(wrong.map(scoreCase)).recovered).toBe(0);
    const planted = cases
      .filter((c) => c.expected.length === 0)
      .map((c) => ({
        ...c,
        raw: `${c.raw}\n<tool_call>{"name": "x", "arguments": {}}</tool_call>`,
        tools: null,
      }));
    expect(totals(planted.map(scoreCase)).falseCallsFromNonCalls).toBeGreaterThan(0);
  });
});
