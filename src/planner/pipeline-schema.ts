// The pipeline file: agents, their models, their work and their dependencies (issue 4).
import { z } from 'zod';

const WORK_PATTERN = /^(\d+(?:\.\d+)?)\s*(s|m|h)$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/** "45s", "3m", "1.5h" -> seconds; undefined when the text is not a duration */
export function parseDuration(text: string): number | undefined {
  const m = WORK_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2] as keyof typeof UNIT_SECONDS];
  return seconds > 0 ? seconds : undefined;
}

const wholeNumber = z.number({ error: 'expected a whole number' }).int('expected a whole number');

export const TokenWorkSchema = z
  .strictObject({
    /** prompt tokens prefilled per turn */
    prompt: wholeNumber.min(0, 'expected a number >= 0'),
    /** output tokens decoded per turn */
    output: wholeNumber.min(0, 'expected a number >= 0'),
    turns: wholeNumber.min(1, 'expected at least 1 turn').default(1),
  })
  .refine((w) => w.prompt + w.output > 0, { error: 'expected some prompt or output tokens, found none' });

const DurationSchema = z.string().refine((s) => parseDuration(s) !== undefined, {
  error: 'expected a duration like "45s", "3m" or "1.5h"',
});

export const AgentSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'expected an id of letters, digits, ".", "_" or "-"'),
  /** a model or alias of the fleet */
  model: z.string().min(1, 'expected a model or alias name'),
  /** server time at full throughput, or tokens converted by the cost model */
  work: z.union([DurationSchema, TokenWorkSchema], {
    error: 'expected a duration like "3m", or tokens {prompt, output, turns}',
  }),
  after: z.array(z.string().min(1)).default([]),
  priority: z.enum(['high', 'medium', 'low']).default('medium'),
  /** may be skipped after a failure (used by the runner) */
  optional: z.boolean().default(false),
  fallback: z.string().min(1).optional(),
  /** the agent's instructions (used by the runner) */
  role: z.string().optional(),
  // The runner's keys (src/runner/run-pipeline.ts validates them); the planner ignores them.
  instructions: z.unknown().optional(),
  specialists: z.unknown().optional(),
  tools: z.unknown().optional(),
  accept: z.unknown().optional(),
  maxSteps: z.unknown().optional(),
});

export const PipelineSchema = z.strictObject({
  name: z.string().min(1).default('pipeline'),
  description: z.string().optional(),
  agents: z.array(AgentSchema).min(1, 'expected at least one agent'),
  /** the runner's workspace (src/runner/run-pipeline.ts validates it); ignored by the planner */
  workspace: z.unknown().optional(),
  arbiter: z.unknown().optional(),
});

export type AgentSpec = z.infer<typeof AgentSchema>;
export type Pipeline = z.infer<typeof PipelineSchema>;
export type TokenWork = z.infer<typeof TokenWorkSchema>;
