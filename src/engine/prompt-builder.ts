// The dynamic prompt of one model step: sections chosen by the model's size, the task's
// complexity, the phase and the last failures, within a token budget. Also measures the full
// static prompt for the same step (every section, every tool, every reminder), so the runner's
// report can compare the two.
import { complexity } from './complexity.ts';
import { reminder, type ReplyFailure } from './failure-reminders.ts';
import { assemble, type PromptSection } from './prompt-sections.ts';
import type { TokenEstimator } from './token-estimate.ts';
import { toolCallExample, type ToolLike } from './tool-examples.ts';

export interface PromptTool extends ToolLike {
  phases?: string[];
}

export interface PromptContext {
  role: string;
  phase: string;
  size: 'small' | 'large';
  contextWindow: number;
  /** every tool the model may use in some phase */
  tools: readonly PromptTool[];
  taskTokens: number;
  dependencies: number;
  attempts: number;
  /** failures of the previous reply, newest last */
  failures: readonly ReplyFailure[];
  /** results of upstream agents, one line each */
  upstream: readonly string[];
  estimator: TokenEstimator;
}

export interface BuiltPrompt {
  system: string;
  tools: PromptTool[];
  complexity: number;
  variant: 'short' | 'full';
  included: string[];
  /** tokens of this prompt's system part, and of the full static one for the same step */
  tokens: { dynamic: number; static: number };
}

/** share of the context window the system prompt may take */
const SYSTEM_SHARE = 0.25;

export function toolsForPhase(tools: readonly PromptTool[], phase: string): PromptTool[] {
  return tools.filter((t) => !t.phases || t.phases.includes(phase));
}

export function buildPrompt(ctx: PromptContext): BuiltPrompt {
  const level = complexity({ ...ctx });
  const variant = ctx.size === 'small' ? 'short' : 'full';
  const tools = toolsForPhase(ctx.tools, ctx.phase);
  const withExamples = variant === 'short' || ctx.failures.length > 0 || level >= 7;
  const sections = baseSections(ctx, tools, variant === 'full', false);
  if (withExamples) sections.push(examplesSection(tools));
  ctx.failures
    .slice(-3)
    .forEach((f, i) =>
      sections.push({ id: `reminder:${f.kind}`, priority: 0, order: 90 + i, text: reminder(f, tools) }),
    );
  const built = assemble(sections, Math.floor(ctx.contextWindow * SYSTEM_SHARE), ctx.estimator);
  return {
    system: built.text,
    tools,
    complexity: level,
    variant,
    included: built.included,
    tokens: { dynamic: built.tokens + toolTokens(tools, ctx.estimator), static: staticTokens(ctx) },
  };
}

/**
 * `describe`: repeat each tool's description in the text. The dynamic prompt does not: the tool
 * definitions (name, description, schema) travel with the request and the server renders them
 * into the prompt, so the text only names them. A static template pastes the descriptions.
 */
function baseSections(
  ctx: PromptContext,
  tools: readonly PromptTool[],
  full: boolean,
  describe: boolean,
): PromptSection[] {
  const sections: PromptSection[] = [
    { id: 'role', priority: 0, order: 0, text: `You are ${ctx.role}` },
    { id: 'phase', priority: 1, order: 10, text: `Current phase: ${ctx.phase}.` },
    { id: 'tools', priority: 1, order: 20, text: toolList(tools, describe) },
    { id: 'rules', priority: 1, order: 30, text: RULES },
  ];
  if (ctx.upstream.length > 0)
    sections.push({
      id: 'upstream',
      priority: 3,
      order: 40,
      text: `Results of the agents before you:\n${ctx.upstream.map((u) => `- ${u}`).join('\n')}`,
    });
  if (full) sections.push({ id: 'guidelines', priority: 4, order: 50, text: GUIDELINES });
  return sections;
}

function examplesSection(tools: readonly PromptTool[]): PromptSection {
  const lines = tools.map((t) => `- ${toolCallExample(t)}`).join('\n');
  return {
    id: 'examples',
    priority: 2,
    order: 25,
    text: `Tool calls look like this (name, then JSON arguments):\n${lines}`,
  };
}

function toolList(tools: readonly PromptTool[], describe: boolean): string {
  if (tools.length === 0) return 'You have no tools in this phase: answer in text.';
  if (!describe)
    return `Tools you can call (defined in this request): ${tools.map((t) => t.name).join(', ')}.`;
  return `Tools you can call:\n${tools.map((t) => `- ${t.name}: ${t.description}`).join('\n')}`;
}

/** the tools' definitions travel in the request too: count them */
function toolTokens(tools: readonly PromptTool[], estimator: TokenEstimator): number {
  return tools.reduce((sum, t) => sum + estimator.text(t.name + t.description + toolCallExample(t)), 0);
}

/** the prompt a static template would send: every section, tool, example and reminder */
function staticTokens(ctx: PromptContext): number {
  const all = [...ctx.tools];
  const sections = [...baseSections(ctx, all, true, true), examplesSection(all)];
  const failures: ReplyFailure[] = [
    { kind: 'unknown_tool', name: '<name>' },
    { kind: 'empty_name' },
    { kind: 'no_call' },
  ];
  failures.forEach((f, i) =>
    sections.push({ id: `reminder:${f.kind}`, priority: 0, order: 90 + i, text: reminder(f, all) }),
  );
  const text = sections.map((s) => s.text).join('\n\n');
  return ctx.estimator.text(text) + toolTokens(all, ctx.estimator);
}

const RULES = [
  'Act through tool calls: one call per action, arguments as JSON matching the tool.',
  'Read a file before you change it. Never invent a tool result: wait for it.',
  'When the instruction is done and meets its acceptance, answer with a short summary of what you did and no tool call.',
].join('\n');

const GUIDELINES = [
  'Work in small steps and check each one: after writing code, run the tests when a command tool is available.',
  'Keep changes to what the instruction asks; name every file you changed in your summary.',
  'If the instruction is ambiguous, say what you assumed in the summary.',
].join('\n');
