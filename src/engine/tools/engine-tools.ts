// The application tools as the engine's `EngineTool`s (engine-types.ts): bound to the run's
// workspace, environment and knowledge store, each side-effecting call applied at most once per
// idempotency key through the effect journal, and results in the engine's shape.
import type {
  EngineTool,
  ToolContext as EngineToolContext,
  ToolResult as EngineToolResult,
} from '../engine-types.ts';
import type { KnowledgeStore } from '../../store/knowledge-store.ts';
import { executeOnce, type EffectJournal } from './execute-once.ts';
import { appToolsFor } from './tool-registry.ts';
import type { AppTool, ToolContext, ToolLimits, ToolResult } from './tool-types.ts';
import type { Workspace } from './workspace.ts';

export interface EngineToolDeps {
  workspace: Workspace;
  /** the environment commands start from (credentials are removed before use) */
  env: Readonly<Record<string, string | undefined>>;
  /** where side-effecting calls are recorded before and after they run (openEffectJournal) */
  journal: EffectJournal;
  knowledge?: KnowledgeStore;
  limits?: Partial<ToolLimits>;
}

function filesChanged(tool: AppTool, result: ToolResult): string[] {
  if (tool.effect !== 'workspace' || !result.ok) return [];
  const data = result.data as { path?: string; changed?: boolean; created?: boolean } | undefined;
  return data?.path !== undefined && data.changed !== false ? [data.path] : [];
}

export function toEngineResult(tool: AppTool, result: ToolResult): EngineToolResult {
  const files = filesChanged(tool, result);
  return { ok: result.ok, output: result.content, ...(files.length > 0 ? { filesChanged: files } : {}) };
}

/** `EngineTool<never>[]`: the engine takes tools of any input (it validates with each one's schema) */
export function engineToolsFor(names: readonly string[], deps: EngineToolDeps): EngineTool<never>[] {
  const tools: EngineTool[] = appToolsFor(names).map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: tool.input,
    sideEffects: tool.effect !== 'none',
    async execute(input: unknown, context: EngineToolContext): Promise<EngineToolResult> {
      const ctx: ToolContext = {
        workspace: deps.workspace,
        env: deps.env,
        idempotencyKey: context.idempotencyKey,
        agent: context.agentId,
        runId: context.runId,
        signal: context.signal,
        ...(deps.knowledge ? { knowledge: deps.knowledge } : {}),
        ...(deps.limits ? { limits: deps.limits } : {}),
      };
      return toEngineResult(tool, await executeOnce(tool, input, ctx, deps.journal));
    },
  }));
  return tools as EngineTool<never>[];
}
