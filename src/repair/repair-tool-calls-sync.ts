// Rungs 1-4 of the repair ladder, synchronous and pure: native calls validated, calls salvaged
// from text, argument text repaired, arguments coerced to the schema. Never a false call: a name
// inside code, an example or prose is not a call; loose shapes count only when they name a tool.
import { detectNarration } from './detect-narration.ts';
import { extractCandidates, type Candidate } from './extract-candidates.ts';
import { parseJson, type RawCall } from './raw-call.ts';
import type {
  CallForm,
  ModelReply,
  OfferedTool,
  RepairResult,
  RepairRung,
  RepairSyncOptions,
  RepairedCall,
} from './repair-types.ts';
import { resolveCall } from './resolve-call.ts';
import { endsInsideString } from './scan-balanced.ts';

/** A call the ladder could not produce, kept for rungs 5-6. */
export interface Failure {
  kind: 'invalid' | 'unknown_tool';
  /** the tool it was meant for, when known */
  tool: OfferedTool | undefined;
  /** the text the call was written in */
  body: string;
  problem: string;
}

export interface LadderOutcome {
  result: RepairResult;
  failures: Failure[];
}

/** Rungs 1-4 on one reply. `tools` null: names are taken as written, arguments not checked. */
export function repairToolCallsSync(
  reply: ModelReply,
  tools: readonly OfferedTool[] | null,
  options: RepairSyncOptions = {},
): RepairResult {
  return runLadder(reply, tools, options).result;
}

/** The ladder's result plus what it could not recover (for rungs 5-6). */
export function runLadder(
  reply: ModelReply,
  tools: readonly OfferedTool[] | null,
  options: RepairSyncOptions = {},
): LadderOutcome {
  const coerce = options.coerce ?? true;
  const calls: RepairedCall[] = [];
  const failures: Failure[] = [];
  const seen = new Set<string>();
  const add = (c: RepairedCall): boolean => {
    const key = `${c.name}\u0000${stableJson(c.arguments)}`;
    if (seen.has(key)) return false; // the same call repeated (a model looping to its token limit)
    seen.add(key);
    calls.push(c);
    return true;
  };
  for (const n of reply.nativeCalls ?? []) {
    const parsed =
      typeof n.arguments === 'string' ? parseArgText(n.arguments) : { value: n.arguments, repaired: false };
    const raw: RawCall = { name: n.name, args: parsed.value, repaired: parsed.repaired, shape: 'call' };
    const r = take(raw, 1, 'native', JSON.stringify(n), false, tools, coerce);
    if (r.kind === 'call') add(r.call);
    else if (r.kind === 'failure') failures.push(r.failure);
  }
  const text = reply.text ?? '';
  const names = tools === null ? null : tools.map((t) => t.name);
  const candidates = extractCandidates(text, names);
  const taken: Candidate[] = [];
  for (const cand of candidates) {
    if (cand.quoted) continue;
    if (!cand.calls) {
      if (!cand.loose)
        failures.push({
          kind: 'invalid',
          tool: toolNamedIn(cand.body, tools),
          body: cand.body,
          problem: `a ${cand.form} call that could not be parsed: ${clip(cand.body)}`,
        });
      continue;
    }
    const wholeReply = text.slice(0, cand.start).trim() === '' && text.slice(cand.end).trim() === '';
    let used = false;
    for (const raw of cand.calls) {
      const loose = cand.loose || raw.shape === 'flat';
      // offered tools unknown: a loose shape is a call only when it is the whole reply
      if (loose && tools === null && (!wholeReply || raw.shape === 'flat')) continue;
      const r = take(raw, 2, cand.form, cand.body, loose, tools, coerce);
      if (r.kind === 'skip' || (r.kind === 'failure' && loose && tools === null)) continue;
      used = true;
      // the cut-off last copy of a call repeated until the token limit
      const cutRepeat =
        cand.unclosed &&
        calls.some((c) => c.name === (r.kind === 'call' ? r.call.name : r.failure.tool?.name));
      // a call cut off inside a string: its last argument is incomplete, running it would be wrong
      const cutOff = cand.unclosed && raw.repaired && endsInsideString(cand.body);
      if (cutRepeat && (r.kind === 'failure' || raw.repaired)) continue;
      if (r.kind === 'failure') failures.push(r.failure);
      else if (cutOff)
        failures.push({
          kind: 'invalid',
          tool: tools?.find((t) => t.name === r.call.name),
          body: cand.body,
          problem: `${r.call.name}: the reply ended inside its arguments (cut off by the token limit?)`,
        });
      else add(r.call);
    }
    if (used) taken.push(cand);
  }
  const problems = failures.map((f) => f.problem);
  const remaining = calls.length > 0 ? stripCalls(text, taken) : text;
  if (calls.length > 0) return { result: { verdict: 'calls', calls, text: remaining, problems }, failures };
  const verdict = failures.some((f) => f.kind === 'invalid')
    ? 'invalid'
    : failures.length > 0
      ? 'unknown_tool'
      : undefined;
  if (verdict) return { result: { verdict, calls, text: remaining, problems }, failures };
  const narration = detectNarration(text, names);
  if (narration)
    return {
      result: {
        verdict: 'narrated',
        calls,
        text,
        problems: [`announced a call it did not make: "${clip(narration)}"`],
      },
      failures,
    };
  return { result: { verdict: 'no_call', calls, text, problems }, failures };
}

type Taken = { kind: 'call'; call: RepairedCall } | { kind: 'failure'; failure: Failure } | { kind: 'skip' };

function take(
  raw: RawCall,
  base: RepairRung,
  form: CallForm,
  body: string,
  loose: boolean,
  tools: readonly OfferedTool[] | null,
  coerce: boolean,
): Taken {
  const r = resolveCall(
    { name: raw.name, args: raw.args, base, repaired: raw.repaired, fuzzy: !loose, coerce },
    tools,
  );
  if (r.kind === 'ok') {
    // a loose shape (bare `{name, ...}` data, a Python-looking line) is a call only by a tool's name
    if (loose && r.how === 'fuzzy') return { kind: 'skip' };
    return { kind: 'call', call: { name: r.name, arguments: r.arguments, rung: r.rung, form } };
  }
  if (loose && r.kind === 'unknown_tool') return { kind: 'skip' };
  if (r.kind === 'unknown_tool')
    return { kind: 'failure', failure: { kind: 'unknown_tool', tool: undefined, body, problem: r.problem } };
  return { kind: 'failure', failure: { kind: 'invalid', tool: r.tool, body, problem: r.problem } };
}

function parseArgText(text: string): { value: unknown; repaired: boolean } {
  if (text.trim() === '') return { value: {}, repaired: false };
  return parseJson(text) ?? { value: text, repaired: false };
}

/** The offered tool a broken call's text names, when exactly one is named. */
function toolNamedIn(body: string, tools: readonly OfferedTool[] | null): OfferedTool | undefined {
  if (!tools) return undefined;
  const named = tools.filter((t) => new RegExp(`(^|[^\\w-])${escapeRe(t.name)}([^\\w-]|$)`).test(body));
  if (named.length === 1) return named[0];
  return tools.length === 1 ? tools[0] : undefined;
}

const LEFTOVER =
  /<\|eom_id\|>|<\|eot_id\|>|<\|im_end\|>|<\/s>|<end_of_turn>|<\/?function_calls>|<\/?tool_calls?>|<[|｜]tool[▁_ ]calls[▁_ ](?:begin|end)[|｜]>/g;

/** The reply without the regions its calls were written in (and the tokens around them). */
function stripCalls(text: string, taken: Candidate[]): string {
  let out = '';
  let at = 0;
  for (const c of taken) {
    out += text.slice(at, c.start);
    at = c.end;
  }
  out += text.slice(at);
  return out
    .replace(LEFTOVER, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

export function stableJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableJson).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v) ?? 'null';
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? one.slice(0, 117) + '...' : one;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
