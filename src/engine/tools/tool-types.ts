// What an application tool is: a name, a description and an input schema for the model (zod, and
// its JSON Schema), whether it has side effects, and an executor the engine calls. Models decide;
// the engine executes, logs `tool_effect_started`, runs the tool, logs the result.
import type { z } from 'zod';
import type { KnowledgeStore } from '../../store/knowledge-store.ts';
import type { ToolErrorCode } from './tool-error.ts';
import type { Workspace } from './workspace.ts';

/** What a tool changes: nothing; files of the workspace; anything (a command); the knowledge store. */
export type ToolEffectKind = 'none' | 'workspace' | 'process' | 'knowledge';

export interface ToolLimits {
  /** read_file returns at most this many bytes of a file */
  maxReadBytes: number;
  /** write_file and patch_file refuse content above this */
  maxWriteBytes: number;
  /** list_files stops after this many entries */
  maxListEntries: number;
  /** run_command keeps this many bytes of output (its start and its end) */
  maxOutputBytes: number;
  /** run_command's timeout when the model gives none, and the most it may ask for (ms) */
  defaultTimeoutMs: number;
  maxTimeoutMs: number;
}

export const DEFAULT_TOOL_LIMITS: ToolLimits = {
  maxReadBytes: 32 * 1024,
  maxWriteBytes: 1024 * 1024,
  maxListEntries: 500,
  maxOutputBytes: 16 * 1024,
  defaultTimeoutMs: 60_000,
  maxTimeoutMs: 10 * 60_000,
};

export interface ToolContext {
  workspace: Workspace;
  /** the caller's key for this call's effect (run, agent, step, call index): store_note keeps one
   * note per key, and the run log records effects by it */
  idempotencyKey: string;
  agent: string;
  runId: string;
  /** needed by search_notes and store_note; without it they answer `unavailable` */
  knowledge?: KnowledgeStore;
  /** the environment commands start from (passed by the composition root); secrets are removed */
  env: Readonly<Record<string, string | undefined>>;
  limits?: Partial<ToolLimits>;
  signal?: AbortSignal;
}

export type ToolResult =
  | { ok: true; /** what the model sees */ content: string; data?: unknown }
  | { ok: false; content: string; error: { code: ToolErrorCode; message: string }; data?: unknown };

/** sha256 (hex) of a file's bytes, or null when the file does not exist */
export type ContentHash = string | null;

/**
 * What a side-effecting call will change, computed before it runs without changing anything, so
 * that a run resumed after a crash can tell whether the effect was applied (effect-status.ts).
 */
export type EffectPlan =
  | { kind: 'file'; path: string; before: ContentHash; after: ContentHash }
  | { kind: 'note'; key: string }
  | { kind: 'unobservable'; reason: string }
  | { kind: 'none' };

export interface AppTool<I = unknown> {
  readonly name: string;
  readonly description: string;
  readonly input: z.ZodType<I>;
  /** the input's JSON Schema (draft 7, input side: defaulted fields are optional) */
  readonly jsonSchema: Record<string, unknown>;
  readonly effect: ToolEffectKind;
  /** runs the tool on validated input; throws ToolError for what the model should be told */
  execute(input: I, ctx: ToolContext): Promise<ToolResult>;
  /** for side-effecting tools: the effect executing now would have */
  plan(input: I, ctx: ToolContext): Promise<EffectPlan>;
}

export function limitsOf(ctx: ToolContext): ToolLimits {
  return { ...DEFAULT_TOOL_LIMITS, ...ctx.limits };
}
