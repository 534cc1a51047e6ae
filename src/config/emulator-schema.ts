// The fleet config's keys for emulated models' replies (src/emulator/README.md "Scripted replies"): rules
// that map what a model is asked to a scripted reply, and per model the rates at which its tool
// calls come out in each (broken) form. A real Ollama fleet ignores all of it.
import { z } from 'zod';

/**
 * How a reply writes its tool calls: Ollama's native `tool_calls`, or text the way model families
 * write calls (rendered by src/emulator/responders/tool-call-forms.ts, which says whose form each is).
 */
export const TOOL_CALL_FORMS = [
  'native',
  'json',
  'fenced',
  'tags',
  'tools-tags',
  'pipe-tags',
  'array',
  'openai-envelope',
  'parameters',
  'args',
  'string-arguments',
  'python',
  'python-list',
  'mistral',
  'mistral-v11',
  'llama',
  'gemma',
  'functiongemma',
  'xml',
  'function-tag',
  'qwen-xml',
  'repeat',
  'misnamed',
  'trailing-comma',
  'single-quotes',
  'string-numbers',
  'missing-brace',
  'narrated',
] as const;

export type ToolCallForm = (typeof TOOL_CALL_FORMS)[number];

function validRegex(s: string): boolean {
  try {
    new RegExp(s);
    return true;
  } catch {
    return false;
  }
}

const regex = z
  .string({ error: 'expected a regular expression (a string)' })
  .refine(validRegex, { message: 'expected a valid regular expression' });

/** an exact name, or /regex/ */
const nameOrRegex = z
  .string({ error: 'expected a name or /regex/' })
  .min(1, 'expected a name or /regex/')
  .refine((s) => !/^\/.*\/$/.test(s) || validRegex(s.slice(1, -1)), {
    message: 'expected a valid regular expression between the slashes',
  });

const rate = z
  .number({ error: 'expected a rate from 0 to 1' })
  .min(0, 'expected a rate from 0 to 1')
  .max(1, 'expected a rate from 0 to 1');

/** form -> share of replies whose tool calls come out in it; the rest keep their own form */
export const FormRatesSchema = z.partialRecord(z.enum(TOOL_CALL_FORMS), rate).check((ctx) => {
  const total = Object.values(ctx.value).reduce<number>((a, b) => a + (b ?? 0), 0);
  if (total > 1 + 1e-9 && ctx.issues.length === 0)
    ctx.issues.push({
      code: 'custom',
      message: 'expected rates that add up to at most 1',
      input: Math.round(total * 1e6) / 1e6,
    });
});

export const ScriptedCallSchema = z.strictObject({
  name: z.string({ error: 'expected a tool name' }).min(1, 'expected a tool name'),
  /** strings in it may use $1.. and $<name> (groups of the rule's regexes) */
  arguments: z.record(z.string(), z.unknown()).default({}),
});

const TURN = 'expected a turn number (1, 2, ...) or "N+" for the N-th and later';
const turn = z.union([z.number().int(TURN).positive(TURN), z.string().regex(/^[1-9]\d*\+$/, TURN)], {
  error: TURN,
});

const RuleObject = z.strictObject({
  // --- what the model is asked (all given conditions must hold) ---
  /** model name as configured, or /regex/ */
  model: nameOrRegex.optional(),
  /** the x-orchestra-agent header of the request, exact or /regex/ */
  agent: nameOrRegex.optional(),
  /** regex over the system prompt (every system message, joined by newlines) */
  system: regex.optional(),
  /** regex over the last user message */
  user: regex.optional(),
  /** regex over the last message, whatever its role */
  match: regex.optional(),
  /** regex over the whole conversation: every message's text, joined by newlines */
  prompt: regex.optional(),
  /** role of the last message */
  role: z.enum(['system', 'user', 'assistant', 'tool']).optional(),
  /** the last message is a tool result (true), is not (false), or is one whose text matches this regex */
  toolResult: z
    .union([z.boolean(), regex], { error: 'expected true, false or a regular expression' })
    .optional(),
  /** tool names the request must offer (all of them) */
  tools: z.array(z.string().min(1)).min(1, 'expected at least one tool name').optional(),
  /** the request asks for structured output (Ollama `format`, OpenAI `response_format`) or not */
  format: z.boolean().optional(),
  /** the n-th time (1-based) this rule's conditions held in the conversation; "N+" for N and later */
  turn: turn.optional(),

  // --- the reply ---
  /** the reply's text ($1.. substituted); with toolCalls, the text before them */
  text: z.string().optional(),
  /** structured content, sent as JSON text (for requests with `format`); $1.. substituted in strings */
  json: z.unknown().optional(),
  toolCalls: z.array(ScriptedCallSchema).min(1, 'expected at least one tool call').optional(),
  /** how the tool calls are written; when omitted, drawn from the model's toolCallForms (else native) */
  form: z.enum(TOOL_CALL_FORMS).optional(),
  /** reasoning sent first when the request asks to think */
  thinking: z.string().optional(),
  /** virtual milliseconds (on the emulator's clock) the model takes before its first token */
  delayMs: z.number().min(0, 'expected milliseconds >= 0').optional(),
  /** the output tokens the reply counts as (eval_count, decode time), whatever its text's length */
  tokens: z.number().int().positive('expected a positive whole number of tokens').optional(),
});

export const EmulatorRuleSchema = RuleObject.refine(
  (r) => r.text !== undefined || r.toolCalls !== undefined || r.json !== undefined,
  { message: 'expected "text", "json" or "toolCalls" in every rule' },
).refine((r) => r.json === undefined || (r.text === undefined && r.toolCalls === undefined), {
  message: 'expected "json" alone: structured content has no text or tool calls beside it',
});

export const EmulatorScriptSchema = z.strictObject({
  rules: z.array(EmulatorRuleSchema).min(1, 'expected at least one rule'),
});

/** models[].emulator */
export const ModelEmulatorSchema = z.strictObject({
  /** seeds the draws of forms (and default tool calls); the same seed and request give the same reply */
  seed: z.number().int().default(0),
  toolCallForms: FormRatesSchema.optional(),
  /** with tools offered and no rule answering, the default reply calls one (arguments from its schema) */
  callTools: z.boolean().default(false),
  /** this model's rules, tried before the fleet's; `model` is implied */
  rules: z.array(EmulatorRuleSchema).optional(),
});

/** the fleet's top-level `emulator` */
export const FleetEmulatorSchema = z.strictObject({
  /** tried in order after each model's own rules; first match wins */
  rules: z.array(EmulatorRuleSchema).default([]),
  /**
   * YAML files of `rules: [...]` (paths relative to the config file), read at load time; their
   * rules are tried after `rules`, file by file
   */
  scripts: z.array(z.string().min(1, 'expected a file path')).default([]),
  /**
   * a request no rule (and no callTools) answers: `default` gets the deterministic default reply,
   * `error` a 500 naming the model, agent and last message (to find gaps in a script)
   */
  unmatched: z.enum(['default', 'error']).default('default'),
});

export type EmulatorRule = z.infer<typeof EmulatorRuleSchema>;
export type EmulatorRuleInput = z.input<typeof EmulatorRuleSchema>;
export type EmulatorScript = z.infer<typeof EmulatorScriptSchema>;
export type EmulatorScriptInput = z.input<typeof EmulatorScriptSchema>;
export type ModelEmulatorConfig = z.infer<typeof ModelEmulatorSchema>;
export type FleetEmulatorConfig = z.infer<typeof FleetEmulatorSchema>;
export type FormRates = z.infer<typeof FormRatesSchema>;
