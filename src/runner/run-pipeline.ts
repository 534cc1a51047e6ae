// The runner's pipeline file: the planner's format (src/planner/pipeline-schema.ts) plus what an
// execution needs per agent (instructions, specialists, tools, acceptance checks, a step budget)
// and the run's workspace template. The planner ignores the runner's keys; both read every file.
import { isAbsolute, resolve, dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError, issueToProblem, type ConfigProblem } from '../config/config-error.ts';
import { APP_TOOL_NAMES } from '../engine/tools/index.ts';
import { parsePipelineObject, readPipelineYaml, type AgentSpec, type Pipeline } from '../planner/index.ts';

/** the application tools a pipeline may give an agent: the engine's registry (src/engine/tools) */
const TOOL_NAMES = APP_TOOL_NAMES as [string, ...string[]];

const CommandCheckSchema = z.strictObject({
  /** a shell command that must exit 0 in the workspace */
  command: z.string().min(1, 'expected a command like "npm test"'),
  timeoutSeconds: z.number().positive('expected a number of seconds > 0').default(120),
});

const ReviewCheckSchema = z.strictObject({
  /** a reviewer's verdict: the agent's final answer must approve */
  review: z.literal('approve', { error: 'expected "approve"' }),
});

const CHECK_FORMS = 'expected { command: "...", timeoutSeconds?: N } or { review: approve }';

const CheckSchema = z.union([CommandCheckSchema, ReviewCheckSchema], { error: CHECK_FORMS });

const RunnerAgentSchema = z.object({
  id: z.string(),
  instructions: z.string().min(1, 'expected the instructions as text').optional(),
  /** aliases or models the agent may use, first = preferred; the agent's `model` when omitted */
  specialists: z.array(z.string().min(1, 'expected a model or alias name')).min(1).optional(),
  tools: z.array(z.enum(TOOL_NAMES)).default([]),
  accept: z.union([CheckSchema, z.array(CheckSchema)]).optional(),
  /** arbiter decisions per attempt before the agent counts as stalled */
  maxSteps: z.number().int('expected a whole number').min(1, 'expected at least 1 step').default(20),
});

const RunnerPipelineSchema = z.object({
  /** the small fast model that decides each agent's next step; the agent's first specialist when omitted */
  arbiter: z.string().min(1, 'expected a model or alias name').optional(),
  workspace: z
    .strictObject({
      /** folder copied into the run's workspace; relative to the pipeline file */
      template: z.string().min(1, 'expected a folder path'),
    })
    .optional(),
  agents: z.array(RunnerAgentSchema),
});

export type CommandCheck = z.infer<typeof CommandCheckSchema>;
export type AcceptCheck = z.infer<typeof CheckSchema>;

export interface RunAgentSpec extends AgentSpec {
  instructions: string;
  specialists: string[];
  /** whether the file gave `specialists` (otherwise they are the agent's model) */
  specialistsGiven: boolean;
  tools: string[];
  accept: AcceptCheck[];
  maxSteps: number;
}

export interface RunPipeline extends Omit<Pipeline, 'agents' | 'workspace' | 'arbiter'> {
  agents: RunAgentSpec[];
  arbiter?: string;
  /** absolute path of the template folder, when the pipeline has one */
  workspaceTemplate?: string;
  /** the planner's view of the same file */
  planned: Pipeline;
}

export function parseRunPipelineText(text: string, file: string): RunPipeline {
  return parseRunPipelineObject(readPipelineYaml(text, file), file);
}

export function parseRunPipelineObject(raw: unknown, file: string): RunPipeline {
  // every problem of the file at once: the planner's keys and the runner's
  let planned: Pipeline | undefined;
  const problems: ConfigProblem[] = [];
  try {
    planned = parsePipelineObject(raw, file);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    problems.push(...e.problems);
  }
  const parsed = RunnerPipelineSchema.safeParse(raw);
  if (!parsed.success) {
    const seen = new Set(problems.map((p) => `${p.path}\u0000${p.message}`));
    for (const p of parsed.error.issues.flatMap((i) => runnerProblems(i, raw)))
      if (!problems.some((q) => q.path === p.path) && !seen.has(`${p.path}\u0000${p.message}`))
        problems.push(p);
  }
  if (problems.length > 0 || !planned || !parsed.success) throw new ConfigError(file, problems);
  const agents = planned.agents.map((a, i): RunAgentSpec => {
    const extra = parsed.data.agents[i]!;
    const accept =
      extra.accept === undefined ? [] : Array.isArray(extra.accept) ? extra.accept : [extra.accept];
    return {
      ...a,
      instructions: extra.instructions ?? a.role ?? `Do the work of ${a.id}.`,
      specialists: extra.specialists ?? [a.model],
      specialistsGiven: extra.specialists !== undefined,
      tools: extra.tools,
      accept,
      maxSteps: extra.maxSteps,
    };
  });
  const template = parsed.data.workspace?.template;
  const { agents: _planned, workspace: _ws, arbiter: _arbiter, ...rest } = planned;
  return {
    ...rest,
    agents,
    planned,
    ...(parsed.data.arbiter !== undefined ? { arbiter: parsed.data.arbiter } : {}),
    ...(template !== undefined
      ? { workspaceTemplate: isAbsolute(template) ? template : resolve(dirname(file), template) }
      : {}),
  };
}

/**
 * A runner key's problems, naming the agent as the planner's do. A check that matches neither
 * form is judged by the form its keys choose (`command` or `review`), so the message says which
 * key is wrong rather than "expected another form".
 */
function runnerProblems(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem[] {
  if (issue.code !== 'invalid_union') return [withAgent(issue, raw)];
  const value = valueAt(raw, issue.path);
  const form = Array.isArray(value)
    ? z.array(CheckSchema)
    : value && typeof value === 'object'
      ? 'command' in value
        ? CommandCheckSchema
        : 'review' in value
          ? ReviewCheckSchema
          : undefined
      : undefined;
  if (!form && value && typeof value === 'object') {
    const { path } = issueToProblem(issue, raw);
    const keys = Object.keys(value).join(', ') || 'none';
    return [withAgentText(raw, issue.path, path, `${CHECK_FORMS}, found a mapping with the keys ${keys}`)];
  }
  const inner = form?.safeParse(value);
  if (!inner || inner.success) return [withAgent(issue, raw)];
  return inner.error.issues.flatMap((i) => runnerProblems({ ...i, path: [...issue.path, ...i.path] }, raw));
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v = data;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

function withAgent(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem {
  const { path, message } = issueToProblem(issue, raw);
  return withAgentText(raw, issue.path, path, message);
}

function withAgentText(
  raw: unknown,
  keys: readonly PropertyKey[],
  path: string,
  message: string,
): ConfigProblem {
  const i = keys[0] === 'agents' && typeof keys[1] === 'number' ? keys[1] : undefined;
  const agents = (raw as { agents?: unknown } | null)?.agents;
  const agent: unknown = i !== undefined && Array.isArray(agents) ? agents[i] : undefined;
  const id = agent && typeof agent === 'object' ? (agent as { id?: unknown }).id : undefined;
  return { path, message: typeof id === 'string' ? `${message} (agent ${id})` : message };
}
