// One line of `orchestra toolcalls repair --jsonl`: `{"id", "raw", "tools"}` in (tools an
// OpenAI-style array, or null when the offered tools are not known; `native` optional), one
// `{"id", "verdict", "calls", "rungs"}` out, or an error that names the line and what was wrong.
import { isAppError } from '../core/errors/index.ts';
import { toOfferedTools } from './offered-tools.ts';
import { repairToolCallsSync } from './repair-tool-calls-sync.ts';
import type { RepairRung, RepairVerdict } from './repair-types.ts';

export interface JsonlOutput {
  id: string | number | null;
  verdict: RepairVerdict;
  calls: { name: string; arguments: Record<string, unknown> }[];
  rungs: RepairRung[];
  /** the rest of the result, for humans and the bench */
  forms: string[];
  problems: string[];
}

export type JsonlResult = { ok: true; output: JsonlOutput } | { ok: false; error: string };

/** `where` names the line in errors, e.g. `replies.jsonl:12`. */
export function repairJsonlLine(line: string, where: string): JsonlResult {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch (e) {
    return fail(where, `not JSON (${(e as Error).message})`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc))
    return fail(where, 'expected an object {"id", "raw", "tools"}');
  const o = doc as Record<string, unknown>;
  const id = o.id ?? null;
  if (id !== null && typeof id !== 'string' && typeof id !== 'number')
    return fail(where, `"id": expected a string or number, found ${JSON.stringify(id)}`);
  if (typeof o.raw !== 'string')
    return fail(where, `"raw": expected the model's text as a string, found ${typeName(o.raw)}`);
  const native = o.native ?? o.tool_calls;
  if (native !== undefined && !isNativeList(native))
    return fail(where, '"native": expected an array of {"name", "arguments"}');
  let tools;
  try {
    tools = toOfferedTools(o.tools === undefined ? null : (o.tools as unknown[] | null));
  } catch (e) {
    if (isAppError(e)) return fail(where, e.message);
    throw e;
  }
  const r = repairToolCallsSync({ text: o.raw, nativeCalls: native }, tools);
  return {
    ok: true,
    output: {
      id,
      verdict: r.verdict,
      calls: r.calls.map((c) => ({ name: c.name, arguments: c.arguments })),
      rungs: r.calls.map((c) => c.rung),
      forms: r.calls.map((c) => c.form ?? 'unknown'),
      problems: r.problems,
    },
  };
}

function isNativeList(v: unknown): v is { name: string; arguments: unknown }[] {
  return (
    Array.isArray(v) &&
    v.every((c) => c !== null && typeof c === 'object' && typeof (c as { name?: unknown }).name === 'string')
  );
}

function fail(where: string, what: string): JsonlResult {
  return { ok: false, error: `${where}: ${what}` };
}

function typeName(v: unknown): string {
  return v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
