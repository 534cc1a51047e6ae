// Whether a script rule answers a request: every condition it gives must hold. The turn counter
// needs no state: the n-th time a rule's conditions held is counted over the conversation's own
// history (each earlier assistant message marks a point where the model was asked), so it repeats
// after a restart or a resumed run, and two emulators agree.
import type { EmulatorRule } from '../../config/emulator-schema.ts';
import type { ResponderInput, ResponderMessage } from './responder.ts';

/** what the rule's regexes captured, for $1.. and $<name> in the reply */
export interface RuleCaptures {
  /** positional groups ($0 the whole match) of the first of user, match, toolResult, system, prompt */
  groups: string[];
  /** named groups of every regex of the rule */
  named: Record<string, string>;
}

const compiled = new Map<string, RegExp>();

function re(source: string): RegExp {
  let r = compiled.get(source);
  if (!r) {
    r = new RegExp(source);
    compiled.set(source, r);
  }
  return r;
}

/** an exact name, or /regex/ */
function nameMatches(pattern: string, value: string | undefined): boolean {
  if (value === undefined) return false;
  const m = /^\/(.*)\/$/.exec(pattern);
  return m ? re(m[1]!).test(value) : pattern === value;
}

function lastOf(messages: readonly ResponderMessage[], role?: string): ResponderMessage | undefined {
  for (let i = messages.length - 1; i >= 0; i--)
    if (role === undefined || messages[i]!.role === role) return messages[i];
  return undefined;
}

/** the rule's conditions except `turn`; the captures when they all hold */
export function conditionsHold(rule: EmulatorRule, input: ResponderInput): RuleCaptures | undefined {
  if (rule.model !== undefined && !nameMatches(rule.model, input.model)) return undefined;
  if (rule.agent !== undefined && !nameMatches(rule.agent, input.agent)) return undefined;
  if (rule.tools && !rule.tools.every((t) => input.tools.includes(t))) return undefined;
  if (rule.format !== undefined && rule.format !== (input.format !== undefined)) return undefined;
  const last = lastOf(input.messages);
  if (rule.role !== undefined && last?.role !== rule.role) return undefined;
  const isToolResult = last?.role === 'tool';
  if (rule.toolResult === true && !isToolResult) return undefined;
  if (rule.toolResult === false && isToolResult) return undefined;
  const texts: [string | undefined, string | undefined][] = [
    [rule.user, lastOf(input.messages, 'user')?.content],
    [rule.match, last?.content],
    [
      typeof rule.toolResult === 'string' ? rule.toolResult : undefined,
      isToolResult ? last.content : undefined,
    ],
    [
      rule.system,
      input.messages
        .filter((m) => m.role === 'system')
        .map((m) => m.content)
        .join('\n'),
    ],
    [rule.prompt, rule.prompt === undefined ? undefined : input.messages.map((m) => m.content).join('\n')],
  ];
  const captures: RuleCaptures = { groups: [], named: {} };
  let positional = false;
  for (const [pattern, text] of texts) {
    if (pattern === undefined) continue;
    if (text === undefined) return undefined;
    const found = re(pattern).exec(text);
    if (!found) return undefined;
    if (!positional) {
      captures.groups = [...found].map((g) => g ?? '');
      positional = true;
    }
    for (const [k, v] of Object.entries(found.groups ?? {})) captures.named[k] = v ?? '';
  }
  return captures;
}

/** 1 + the number of earlier points of this conversation at which the rule's conditions held */
export function turnOf(rule: EmulatorRule, input: ResponderInput): number {
  let n = 1;
  input.messages.forEach((m, i) => {
    if (
      m.role === 'assistant' &&
      i > 0 &&
      conditionsHold(rule, { ...input, messages: input.messages.slice(0, i) })
    )
      n++;
  });
  return n;
}

/** the captures when the rule answers this request (its turn included) */
export function ruleMatches(rule: EmulatorRule, input: ResponderInput): RuleCaptures | undefined {
  const captures = conditionsHold(rule, input);
  if (!captures || rule.turn === undefined) return captures;
  const n = turnOf(rule, input);
  const ok = typeof rule.turn === 'number' ? n === rule.turn : n >= Number(rule.turn.slice(0, -1));
  return ok ? captures : undefined;
}
