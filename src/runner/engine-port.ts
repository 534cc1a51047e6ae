// What the runner takes from the engine (src/engine/engine.ts), its application tools
// (src/engine/tools/) and the tool-call repair ladder (src/repair/), in one place, so tests can
// hand the runner other parts.
import { runAgent } from '../engine/engine.ts';
import type { EngineTool, RunAgent, ToolCallRepair } from '../engine/engine-types.ts';
import { toolsFor } from '../engine/tools/index.ts';
import type { Clock } from '../lib/clock.ts';
import { repairToolCallsSync } from '../repair/index.ts';
import type { KnowledgeStore } from '../store/knowledge-store.ts';

export interface EngineParts {
  runAgent: RunAgent;
  repair?: ToolCallRepair;
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

export function engineParts(): EngineParts {
  return {
    runAgent,
    repair: repairToolCallsSync,
    // the application tools with their effect journal beside the workspace (exactly once across
    // kill -9), bound to the run's knowledge store
    toolsFor: (names, workspaceDir, runId, o = {}) =>
      toolsFor(names, workspaceDir, runId, {
        ...(o.env ? { env: o.env } : {}),
        ...(o.knowledge ? { knowledge: o.knowledge } : {}),
        ...(o.clock ? { clock: o.clock } : {}),
      }),
  };
}
