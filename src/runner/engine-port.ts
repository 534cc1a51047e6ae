// Where the runner finds the engine (issue 16: src/engine/engine.ts) and the application tools
// (src/engine/tools/). Loaded on first use so the runner's own parts (store, fold, CLI listing)
// work before they are built; a run without them fails with a clear message, never a stub.
import type { EngineTool, RunAgent } from '../engine/engine-types.ts';

export interface EngineParts {
  runAgent: RunAgent;
  /** the tools named by the pipeline for one agent, bound to the run's workspace */
  toolsFor: (names: readonly string[], workspaceDir: string, runId: string) => readonly EngineTool<never>[];
}

const ENGINE_MODULE = '../engine/engine.ts';
const TOOLS_MODULE = '../engine/tools/index.ts';

export async function loadEngine(): Promise<EngineParts> {
  let engine: { runAgent?: RunAgent };
  try {
    engine = (await import(ENGINE_MODULE)) as { runAgent?: RunAgent };
  } catch (e) {
    throw new Error(
      `the engine (issue 16, src/engine/engine.ts) is not built yet, so a run cannot execute: ${(e as Error).message}`,
      { cause: e },
    );
  }
  let tools: { toolsFor?: unknown };
  try {
    tools = (await import(TOOLS_MODULE)) as { toolsFor?: unknown };
  } catch (e) {
    throw new Error(
      `the application tools (src/engine/tools/) are not built yet, so a run cannot execute: ${(e as Error).message}`,
      { cause: e },
    );
  }
  if (typeof engine.runAgent !== 'function' || typeof tools.toolsFor !== 'function')
    throw new Error('the engine or its tools do not export runAgent / toolsFor');
  const runAgent = engine.runAgent;
  const toolsFor = tools.toolsFor as EngineParts['toolsFor'];
  return { runAgent, toolsFor };
}
