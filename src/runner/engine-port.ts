// Where the runner meets the engine (issue 16): runAgent, the application tools bound to the run's
// workspace and knowledge store as the engine's tools, and the tool-call repair ladder when it is
// built (issue 15; without it the engine executes valid native calls only and re-asks).
import { runAgent } from '../engine/engine.ts';
import type { EngineTool, RunAgent, ToolCallRepair, ToolResult } from '../engine/engine-types.ts';
import { openWorkspace, runTool, toolsFor, type AppTool, type ToolContext } from '../engine/tools/index.ts';
import type { KnowledgeStore } from '../store/knowledge-store.ts';

export interface EngineParts {
  runAgent: RunAgent;
  repair?: ToolCallRepair;
  /** why there is no repair ladder, when there is none */
  repairMissing?: string;
  toolsFor(o: {
    names: readonly string[];
    workspaceDir: string;
    knowledge?: KnowledgeStore;
    env: Readonly<Record<string, string | undefined>>;
  }): EngineTool<never>[];
}

const REPAIR_MODULE = '../repair/index.ts';

export async function loadEngine(): Promise<EngineParts> {
  let repair: ToolCallRepair | undefined;
  let repairMissing: string | undefined;
  try {
    const mod = (await import(REPAIR_MODULE)) as { repairToolCallsSync?: ToolCallRepair };
    if (typeof mod.repairToolCallsSync === 'function') {
      const ladder = mod.repairToolCallsSync;
      repair = (reply, tools) => ladder(reply, tools);
    } else repairMissing = 'src/repair exports no repairToolCallsSync';
  } catch (e) {
    repairMissing = `the repair ladder (issue 15) is not built: ${(e as Error).message.split('\n')[0]}`;
  }
  return {
    runAgent,
    ...(repair ? { repair } : {}),
    ...(repairMissing ? { repairMissing } : {}),
    toolsFor: ({ names, workspaceDir, knowledge, env }) => {
      const workspace = openWorkspace(workspaceDir);
      return toolsFor(names).map((t) =>
        engineTool(t, { workspace, env, ...(knowledge ? { knowledge } : {}) }),
      );
    },
  };
}

type Base = Pick<ToolContext, 'workspace' | 'env' | 'knowledge'>;

/** an application tool as the engine's: the engine adds key, agent, run and signal per call */
function engineTool(t: AppTool, base: Base): EngineTool<never> {
  const tool: EngineTool<unknown> = {
    name: t.name,
    description: t.description,
    inputSchema: t.input,
    sideEffects: t.effect !== 'none',
    async execute(input, c): Promise<ToolResult> {
      const ctx: ToolContext = {
        ...base,
        idempotencyKey: c.idempotencyKey,
        agent: c.agentId,
        runId: c.runId,
        signal: c.signal,
      };
      const plan = t.effect === 'workspace' ? await t.plan(input, ctx).catch(() => undefined) : undefined;
      const r = await runTool(t, input, ctx);
      const changed = r.ok && plan?.kind === 'file' && plan.before !== plan.after ? [plan.path] : undefined;
      return { ok: r.ok, output: r.content, ...(changed ? { filesChanged: changed } : {}) };
    },
  };
  return tool as EngineTool<never>;
}
