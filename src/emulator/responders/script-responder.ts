// Scripted replies: the first rule whose conditions hold answers (text, JSON, or tool calls in a
// form); other requests get the fallback reply. Rules come from a script (a YAML file given with
// `--script`, or a JS object), then from the fleet config: each model's own rules, then the
// fleet's. Per model, the config's toolCallForms decide how calls without a fixed form come out.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { z } from 'zod';
import {
  EmulatorScriptSchema,
  type EmulatorRule,
  type EmulatorScript,
  type EmulatorScriptInput,
  type ModelEmulatorConfig,
} from '../../config/emulator-schema.ts';
import type { ModelConfig } from '../../config/schema.ts';
import { formatProblem, issueToProblem } from '../../config/config-error.ts';
import { AppError } from '../../core/errors/index.ts';
import { defaultResponder } from './default-responder.ts';
import { defaultToolCall } from './default-tool-call.ts';
import { drawForm } from './form-rates.ts';
import type { Responder, ResponderInput, ResponderOutput } from './responder.ts';
import { ruleMatches, type RuleCaptures } from './rule-match.ts';
import { substitute, substituteDeep } from './substitute.ts';
import { renderToolCalls } from './tool-call-forms.ts';

export { EmulatorScriptSchema as ScriptSchema };
export type Script = EmulatorScript;

/** the problems of a schema failure, one line each: file, key path, expected, found */
export function scriptProblems(error: z.ZodError, data: unknown, file: string): string {
  return error.issues.map((i) => formatProblem(file, issueToProblem(i, data))).join('\n');
}

/**
 * A script from a JS object, typed for authoring in tests (`defineScript({ rules: [...] })`) and
 * validated like a file; errors name `label`.
 */
export function defineScript(script: EmulatorScriptInput, label = 'script'): Script {
  return scriptFromValue(script, label);
}

/** a script from any parsed value (a YAML document), validated; errors name `label` */
export function scriptFromValue(raw: unknown, label: string): Script {
  const parsed = EmulatorScriptSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) return parsed.data;
  throw new AppError('config_invalid', scriptProblems(parsed.error, raw, label));
}

export function parseScript(text: string, file: string): Script {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (e) {
    throw new AppError('config_invalid', `${file}: invalid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return scriptFromValue(raw, file);
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

export interface ScriptOptions {
  /** the fleet's models: their `emulator` settings (own rules, toolCallForms, seed, callTools) */
  models?: readonly ModelConfig[];
  /** rules tried after the script's and the models' own: the fleet's `emulator.rules` */
  fleetRules?: readonly EmulatorRule[];
  /** the reply when no rule answers */
  fallback?: Responder;
  /** `error`: a request no rule answers fails (500) instead of getting the fallback */
  unmatched?: 'default' | 'error';
}

const NO_SETTINGS: ModelEmulatorConfig = { seed: 0, callTools: false };

export function scriptResponder(script: Script | undefined, options: ScriptOptions = {}): Responder {
  const settings = new Map((options.models ?? []).map((m) => [m.name, m.emulator ?? NO_SETTINGS]));
  const fallback = options.fallback ?? defaultResponder;
  const before = script?.rules ?? [];
  const after = options.fleetRules ?? [];
  return (input) => {
    const own = settings.get(input.model) ?? NO_SETTINGS;
    for (const rule of [...before, ...(own.rules ?? []), ...after]) {
      const captures = ruleMatches(rule, input);
      if (captures) return replyOf(rule, captures, own, input);
    }
    const call = own.callTools ? defaultToolCall(input, own.seed) : undefined;
    if (!call) {
      if (options.unmatched === 'error') throw unanswered(input);
      return fallback(input);
    }
    return renderToolCalls([call], drawForm(own.toolCallForms, own.seed, input), '', limits(input));
  };
}

function replyOf(
  rule: EmulatorRule,
  captures: RuleCaptures,
  own: ModelEmulatorConfig,
  input: ResponderInput,
): ResponderOutput {
  const text = rule.text === undefined ? undefined : substitute(rule.text, captures);
  let reply: ResponderOutput;
  if (rule.json !== undefined) reply = { content: JSON.stringify(substituteDeep(rule.json, captures)) };
  else if (rule.toolCalls) {
    const calls = rule.toolCalls.map((c) => ({
      name: substitute(c.name, captures),
      arguments: substituteDeep(c.arguments, captures) as Record<string, unknown>,
    }));
    const form = rule.form ?? drawForm(own.toolCallForms, own.seed, input);
    reply = renderToolCalls(calls, form, text ?? '', limits(input));
  } else reply = { content: text ?? '' };
  if (input.think && rule.thinking !== undefined) reply.thinking = substitute(rule.thinking, captures);
  if (rule.delayMs !== undefined) reply.delayMs = rule.delayMs;
  if (rule.tokens !== undefined) reply.outputTokens = rule.tokens;
  return reply;
}

/** what a script author needs to write the missing rule */
function unanswered(input: ResponderInput): AppError {
  const last = input.messages[input.messages.length - 1];
  const head = (t: string): string => JSON.stringify(t.length > 160 ? `${t.slice(0, 160)}...` : t);
  const system = input.messages.find((m) => m.role === 'system');
  return new AppError(
    'internal',
    `emulator: no script rule answers this request (emulator.unmatched is error): model ${input.model}, ` +
      `agent ${input.agent ?? '(no x-orchestra-agent header)'}, tools [${input.tools.join(', ')}]` +
      `${input.format !== undefined ? ', format' : ''}, ` +
      `system ${system ? head(system.content) : '(none)'}, last message ${last ? `${last.role} ${head(last.content)}` : '(none)'}`,
  );
}

function limits(input: ResponderInput): { maxTokens?: number } {
  return input.maxTokens !== undefined ? { maxTokens: input.maxTokens } : {};
}
