// The runner's pipeline file: the planner's format (src/planner/pipeline-schema.ts) plus what an
// execution needs per agent (instructions, specialists, tools, acceptance checks, a step budget)
// and the run's workspace template. The planner ignores the runner's keys; both read every file.
import { isAbsolute, resolve, dirname } from 'node:path';
import { z } from 'zod';
import { ConfigError, issueToProblem } from '../config/config-error.ts';
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

const CheckSchema = z.union([CommandCheckSchema, ReviewCheckSchema], {
  error: 'expected { command: "...", timeoutSeconds?: N } or { review: approve }',
});

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
  const planned = parsePipelineObject(raw, file);
  const parsed = RunnerPipelineSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(
      file,
      parsed.error.issues.map((i) => issueToProblem(i, raw)),
    );
  const agents = planned.agents.map((a, i): RunAgentSpec => {
    const extra = parsed.data.agents[i]!;
    const accept =
      extra.accept === undefined ? [] : Array.isArray(extra.accept) ? extra.accept : [extra.accept];
    return {
      ...a,
      instructions: extra.instructions ?? a.role ?? `Do the work of ${a.id}.`,
      specialists: extra.specialists ?? [a.model],
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
