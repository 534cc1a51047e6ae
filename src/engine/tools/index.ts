export type {
  AppTool,
  ContentHash,
  EffectPlan,
  ToolContext,
  ToolEffectKind,
  ToolLimits,
  ToolResult,
} from './tool-types.ts';
export { DEFAULT_TOOL_LIMITS } from './tool-types.ts';
export { ToolError, TOOL_ERROR_CODES, type ToolErrorCode } from './tool-error.ts';
export { openWorkspace, type Workspace } from './workspace.ts';
export { APP_TOOLS, APP_TOOL_NAMES, appTool, appToolsFor } from './tool-registry.ts';
export { toolsFor, toolsDbPath, closeRunTools, MINIMAL_ENV, type RunToolsOptions } from './run-tools.ts';
export { runTool, planTool } from './run-tool.ts';
export { effectStatus, type EffectStatus } from './effect-status.ts';
export { toAiSdkTools } from './ai-sdk-tools.ts';
export { workspaceCheckpoints, type Checkpoint, type WorkspaceCheckpoints } from './workspace-checkpoint.ts';
export { treeDigest } from './tree-digest.ts';
export { scrubEnv } from './scrub-env.ts';
export { executeOnce, inputHash, type EffectJournal } from './execute-once.ts';
export { engineToolsFor, toEngineResult, type EngineToolDeps } from './engine-tools.ts';
