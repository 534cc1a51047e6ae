// Scripted replies from a YAML file: the first rule whose model, role and regex match the request
// answers with text or tool calls in a chosen form; other requests get the default reply.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { AppError } from '../../core/errors/index.ts';
import { defaultResponder } from './default-responder.ts';
import type { Responder, ResponderInput } from './responder.ts';
import { TOOL_CALL_FORMS, renderToolCalls } from './tool-call-forms.ts';

const regex = z.string().refine(
  (s) => {
    try {
      new RegExp(s);
      return true;
    } catch {
      return false;
    }
  },
  { message: 'expected a valid regular expression' },
);

const RuleSchema = z
  .strictObject({
    /** model name, or /regex/ */
    model: z.string().min(1).optional(),
    /** role of the last message */
    role: z.enum(['system', 'user', 'assistant', 'tool']).optional(),
    /** regex over the last message's text; $1.. in `text` refer to its groups */
    match: regex.optional(),
    text: z.string().optional(),
    toolCalls: z
      .array(
        z.strictObject({ name: z.string().min(1), arguments: z.record(z.string(), z.unknown()).default({}) }),
      )
      .min(1)
      .optional(),
    form: z.enum(TOOL_CALL_FORMS).default('native'),
    /** reasoning sent before the reply when the request asks to think */
    thinking: z.string().optional(),
  })
  .refine((r) => r.text !== undefined || r.toolCalls !== undefined, {
    message: 'expected "text" or "toolCalls" in every rule',
  });

export const ScriptSchema = z.strictObject({
  rules: z.array(RuleSchema).min(1, 'expected at least one rule'),
});

export type Script = z.infer<typeof ScriptSchema>;
type Rule = Script['rules'][number];

export function parseScript(text: string, file: string): Script {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new AppError('config_invalid', `${file}: invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const parsed = ScriptSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((i) => `${file}: ${i.path.join('.') || '(top)'}: ${i.message}`);
  throw new AppError('config_invalid', lines.join('\n'));
}

export function loadScriptFile(file: string): Script {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('config_invalid', `${file}: cannot read the script: ${(e as Error).message}`);
  }
  return parseScript(text, file);
}

export function scriptResponder(script: Script, fallback: Responder = defaultResponder): Responder {
  return (input) => {
    for (const rule of script.rules) {
      const groups = matches(rule, input);
      if (!groups) continue;
      const text = rule.text?.replace(/\$(\d)/g, (_, n: string) => groups[Number(n)] ?? '');
      const reply = rule.toolCalls
        ? renderToolCalls(rule.toolCalls, rule.form, text)
        : { content: text ?? '' };
      return input.think && rule.thinking !== undefined ? { ...reply, thinking: rule.thinking } : reply;
    }
    return fallback(input);
  };
}

function matches(rule: Rule, input: ResponderInput): string[] | undefined {
  if (rule.model !== undefined) {
    const m = /^\/(.*)\/$/.exec(rule.model);
    if (m ? !new RegExp(m[1]!).test(input.model) : rule.model !== input.model) return undefined;
  }
  const last = input.messages[input.messages.length - 1];
  if (rule.role !== undefined && last?.role !== rule.role) return undefined;
  if (rule.match === undefined) return [];
  const found = new RegExp(rule.match).exec(last?.content ?? '');
  return found ? [...found].map((g) => g ?? '') : undefined;
}
