// Where the runner meets the engine (issue 16): runAgent, the application tools bound to the run's
// workspace and knowledge store as the engine's tools, and the tool-call repair ladder when it is
// built (issue 15; without it the engine executes valid native calls only and re-asks).
import { runAgent } from '../engine/engine.ts';
import type { EngineTool, RunAgent, ToolCallRepair } from '../engine/engine-types.ts';
import { toolsFor } from '../engine/tools/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { KnowledgeStore } from '../store/knowledge-store.ts';

export interface EngineParts {
  runAgent: RunAgent;
  repair?: ToolCallRepair;
  /** why there is no repair ladder, when there is none */
  repairMissing?: string;
  /** the tools named by the pipeline for one agent, bound to the run's workspace */
  toolsFor(
    names: readonly string[],
    workspaceDir: string,
    runId: string,
    options?: {
      knowledge?: KnowledgeStore;
      env?: Readonly<Record<string, string | undefined>>;
      clock?: Clock;
    },
  ): EngineTool<never>[];
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
    // the application tools with their effect journal beside the workspace (exactly once across
    // kill -9), bound to the run's knowledge store
    toolsFor: (names, workspaceDir, runId, o = {}) =>
      toolsFor(names, workspaceDir, runId, {
        ...(o.env ? { env: o.env } : {}),
        ...(o.knowledge ? { knowledge: o.knowledge } : {}),
        ...(o.clock ? { clock: o.clock } : {}),
      }) as EngineTool<never>[],
  };
}
