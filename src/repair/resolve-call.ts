// One call found in a reply, checked against the offered tools: its name matched (rung 2), its
// arguments validated, and coerced to the schema when they are not valid as written (rung 4).
import { POSITIONAL } from './call-payload.ts';
import { coerceToSchema } from './coerce-to-schema.ts';
import { matchToolName, type NameMatch } from './match-tool-name.ts';
import type { OfferedTool, RepairRung } from './repair-types.ts';

export type Resolved =
  | { kind: 'ok'; name: string; arguments: Record<string, unknown>; rung: RepairRung; how: NameMatch }
  | { kind: 'unknown_tool'; name: string; problem: string }
  | { kind: 'invalid'; tool: OfferedTool | undefined; name: string; problem: string };

export interface ResolveInput {
  name: string;
  args: unknown;
  /** the rung before any repair: 1 for a native call, 2 for one salvaged from text, 5/6 above */
  base: RepairRung;
  /** jsonrepair was needed */
  repaired: boolean;
  /** fuzzy name matches allowed (not for loose candidates: data is not a call by a near name) */
  fuzzy: boolean;
  coerce: boolean;
}

export function resolveCall(input: ResolveInput, tools: readonly OfferedTool[] | null): Resolved {
  const floor: RepairRung = input.repaired && input.base < 3 ? 3 : input.base;
  if (tools === null) {
    const args = input.args;
    if (!isObject(args) || POSITIONAL in args)
      return invalid(undefined, input.name, 'arguments: expected an object of named arguments');
    return { kind: 'ok', name: input.name, arguments: args, rung: floor, how: 'exact' };
  }
  const match = matchToolName(
    input.name,
    tools.map((t) => t.name),
  );
  if (!match || (match.how === 'fuzzy' && !input.fuzzy))
    return {
      kind: 'unknown_tool',
      name: input.name,
      problem: `"${input.name}" is not an offered tool (offered: ${tools.map((t) => t.name).join(', ') || 'none'})`,
    };
  const tool = tools.find((t) => t.name === match.name)!;
  let rung: RepairRung = match.how === 'exact' ? floor : (Math.max(floor, 2) as RepairRung);
  let args = input.args;
  const named = nameArguments(args, tool);
  if (named === undefined)
    return invalid(tool, tool.name, `arguments: expected an object of named arguments, found ${kind(args)}`);
  if (named !== args) [args, rung] = [named, 4];
  const strict = coerceToSchema(args, tool.parameters, { coerce: false });
  if (strict.ok) return ok(tool, strict.value, rung, match.how);
  if (!input.coerce) return invalid(tool, tool.name, strict.error);
  const loose = coerceToSchema(args, tool.parameters, { coerce: true, aliases: tool.aliases });
  if (!loose.ok) return invalid(tool, tool.name, loose.error);
  return ok(tool, loose.value, Math.max(rung, 4) as RepairRung, match.how);
}

function ok(tool: OfferedTool, value: unknown, rung: RepairRung, how: NameMatch): Resolved {
  return { kind: 'ok', name: tool.name, arguments: value as Record<string, unknown>, rung, how };
}

function invalid(tool: OfferedTool | undefined, name: string, error: string): Resolved {
  return { kind: 'invalid', tool, name, problem: `${name}: ${error}` };
}

/** Positional Python arguments, or a bare value for a one-argument tool, given their names. */
function nameArguments(args: unknown, tool: OfferedTool): Record<string, unknown> | undefined {
  const props = Object.keys(tool.parameters.properties ?? {});
  const required = Array.isArray(tool.parameters.required) ? (tool.parameters.required as string[]) : [];
  if (!isObject(args)) {
    if (args === undefined || args === null) return {};
    const only = required.length === 1 ? required : props.length === 1 ? props : [];
    return only.length === 1 && !Array.isArray(args) ? { [only[0]!]: args } : undefined;
  }
  if (!(POSITIONAL in args)) return args;
  const { [POSITIONAL]: positional, ...named } = args;
  const order = [...required, ...props.filter((p) => !required.includes(p))].filter((p) => !(p in named));
  const values = positional as unknown[];
  if (values.length > order.length) return undefined;
  values.forEach((v, i) => (named[order[i]!] = v));
  return named;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function kind(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v;
}
