// What the runner takes from the engine (src/engine/engine.ts) and its application tools
// (src/engine/tools/), in one place, so tests can hand the runner other parts.
import { runAgent } from '../engine/engine.ts';
import type { EngineTool, RunAgent } from '../engine/engine-types.ts';
import { toolsFor } from '../engine/tools/index.ts';

export interface EngineParts {
  runAgent: RunAgent;
  /** the tools named by the pipeline for one agent, bound to the run's workspace */
  toolsFor: (names: readonly string[], workspaceDir: string, runId: string) => readonly EngineTool<never>[];
}

export function engineParts(): EngineParts {
  return { runAgent, toolsFor };
}
