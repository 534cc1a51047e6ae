// The hold-back against the whole corpus of real model outputs, streamed in random deltas: nothing
// is lost, and no call the ladder recovers from the whole reply has any of its text sent early —
// the ladder finds the same calls in the held part alone.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toOfferedTools } from './offered-tools.ts';
import { repairToolCallsSync } from './repair-tool-calls-sync.ts';
import { parseCorpus } from './score-corpus.ts';
import { StreamHoldback } from './stream-holdback.ts';

const FILE = new URL('../../test/fixtures/toolcalls/corpus.jsonl', import.meta.url);
// the gateway repairs only requests that offer tools, and native calls never pass the hold-back
const cases = parseCorpus(readFileSync(FILE, 'utf8'), 'corpus.jsonl').filter(
  (c) => c.tools !== null && !c.native?.length,
);

/** the reply cut at the given points (sorted, deduplicated, inside the text) */
function split(text: string, cuts: number[]): string[] {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let from = 0;
  for (const c of at) {
    out.push(text.slice(from, c));
    from = c;
  }
  out.push(text.slice(from));
  return out.filter((d) => d !== '');
}

describe('stream hold-back on the corpus', () => {
  for (const c of cases) {
    const tools = toOfferedTools(c.tools)!;
    const whole = repairToolCallsSync({ text: c.raw }, tools);
    const calls = whole.verdict === 'calls' ? whole.calls.map((k) => [k.name, k.arguments]) : [];
    it(`${c.id} (${c.form}): ${calls.length} call(s) held whole, nothing lost`, () => {
      const isCall = (region: string): boolean =>
        repairToolCallsSync({ text: region }, tools).verdict === 'calls';
      fc.assert(
        fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
          const h = new StreamHoldback(
            tools.map((t) => t.name),
            isCall,
          );
          const sent = split(c.raw, cuts)
            .map((d) => h.push(d))
            .join('');
          const held = h.end();
          expect(sent + held).toBe(c.raw);
          if (calls.length === 0) return;
          const late = repairToolCallsSync({ text: held }, tools);
          expect(late.calls.map((k) => [k.name, k.arguments])).toEqual(calls);
        }),
        { numRuns: 25, seed: 15 },
      );
    });
  }
});
