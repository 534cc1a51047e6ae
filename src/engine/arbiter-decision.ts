// The arbiter's decision: one discriminated union, validated with zod and sent as the JSON Schema
// of the structured output (the gateway passes it to Ollama as `format`, constrained decoding).
import { z } from 'zod';
import type { ArbiterDecision } from './engine-types.ts';

const text = z.string().trim().min(1);

const Review = z.discriminatedUnion('verdict', [
  z.object({ verdict: z.literal('approve'), note: z.string().optional() }),
  z.object({
    verdict: z.literal('modify'),
    instruction: text.describe('the rewritten instruction for the same specialist'),
  }),
  z.object({ verdict: z.literal('redirect'), specialist: text, reason: text }),
  z.object({ verdict: z.literal('reject'), reason: text }),
]);

/** The specialist tool's input: what the arbiter gives a specialist to do. */
export const ConsultInput = z.object({
  instruction: text.describe('what the specialist must do, self-contained'),
  acceptance: text.describe('how to tell the result is right'),
  files: z.array(text).optional().describe('workspace paths the specialist should look at'),
});

export const ArbiterDecisionSchema = z.discriminatedUnion('action', [
  z.object({ action: z.literal('consult'), specialist: text, ...ConsultInput.shape }),
  z.object({ action: z.literal('review'), review: Review }),
  z.object({
    action: z.literal('dialogue'),
    specialists: z.tuple([text, text]),
    question: text,
  }),
  z.object({ action: z.literal('change_phase'), phase: text, reason: text }),
  z.object({ action: z.literal('ask_user'), question: text }),
  z.object({ action: z.literal('finish'), result: text }),
]);

// the schema and the seam's type must describe the same thing
type Parsed = z.infer<typeof ArbiterDecisionSchema>;
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<Parsed, ArbiterDecision> = true;
void same;

export const ARBITER_DECISION_JSON_SCHEMA = z.toJSONSchema(ArbiterDecisionSchema) as Record<string, unknown>;

export type ParsedDecision = { ok: true; decision: ArbiterDecision } | { ok: false; error: string };

/** Parses the arbiter's text (a JSON object, possibly fenced) into a decision, or says why not. */
export function parseDecision(raw: string): ParsedDecision {
  const json = extractJson(raw);
  if (json === undefined) return { ok: false, error: `expected one JSON object, found ${preview(raw)}` };
  const parsed = ArbiterDecisionSchema.safeParse(json);
  if (parsed.success) return { ok: true, decision: parsed.data };
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
  return { ok: false, error: issues.join('; ') };
}

function extractJson(raw: string): unknown {
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(raw)?.[1];
  const candidate = (fenced ?? raw).trim();
  const start = candidate.indexOf('{');
  const end = candidate.lastIndexOf('}');
  if (start < 0 || end < start) return undefined;
  try {
    return JSON.parse(candidate.slice(start, end + 1)) as unknown;
  } catch {
    return undefined;
  }
}

function preview(s: string): string {
  const t = s.trim();
  return t === '' ? 'an empty reply' : JSON.stringify(t.length > 80 ? `${t.slice(0, 80)}...` : t);
}
