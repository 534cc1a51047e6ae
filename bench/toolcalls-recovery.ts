// The recovery half of `npm run bench -- toolcalls`: the repair ladder (rungs 1-4) over the
// project corpus, per form and per rung, plus its cost per reply. Exported so the other toolcalls
// benches (e.g. the time to first token with repair on against off) can print it in one run.
import { readFileSync } from 'node:fs';
import { repairToolCallsSync, toOfferedTools } from '../src/repair/index.ts';
import { parseCorpus, recoveryTable, scoreCase, totals } from '../src/repair/score-corpus.ts';

export const CORPUS_FILE = new URL('../test/fixtures/toolcalls/corpus.jsonl', import.meta.url);

/** The lines of the recovery table, then the ladder's mean time per reply. */
export function toolcallRecoveryReport(): string[] {
  const cases = parseCorpus(readFileSync(CORPUS_FILE, 'utf8'), 'corpus.jsonl');
  const scores = cases.map(scoreCase);
  const t = totals(scores);
  const rounds = 20;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) for (const c of cases) scoreCase(c);
  const perReplyUs = ((performance.now() - t0) * 1000) / (rounds * cases.length);
  return [
    `tool-call recovery over ${t.cases} corpus cases (${t.nonCallCases} without a call), rungs 1-4`,
    ...recoveryTable(scores),
    '',
    `verdicts as expected: ${t.cases - t.verdictMisses.length}/${t.cases}${t.verdictMisses.length ? ` (missed: ${t.verdictMisses.join(', ')})` : ''}`,
    `ladder time per reply: ${perReplyUs.toFixed(0)} µs (mean of ${rounds} rounds over the corpus)`,
    ...longReplies(),
  ];
}

/** Long replies must stay linear: prose on one line, unclosed brackets, a 200 kB file written. */
function longReplies(): string[] {
  const tools = toOfferedTools([
    {
      name: 'write_file',
      parameters: { type: 'object', properties: { path: { type: 'string' }, content: { type: 'string' } } },
    },
  ]);
  const content = JSON.stringify('x'.repeat(200_000));
  const replies: [string, string][] = [
    ['200 kB of prose on one line', 'word '.repeat(40_000)],
    ['200 kB of unclosed brackets', 'a { b ( c [ '.repeat(16_000)],
    [
      'a 200 kB write_file call',
      `<tool_call>{"name": "write_file", "arguments": {"path": "a", "content": ${content}}}</tool_call>`,
    ],
  ];
  return replies.map(([label, text]) => {
    const t0 = performance.now();
    repairToolCallsSync({ text }, tools);
    return `${label}: ${(performance.now() - t0).toFixed(0)} ms`;
  });
}
