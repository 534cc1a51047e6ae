// Application tools in the form the AI SDK offers them to a model: description and input schema,
// and no `execute`, so generateText/streamText return the calls and the engine runs them itself
// (logging tool_effect_started before, the result after, with the call's idempotency key).
import { tool, type ToolSet } from 'ai';
import type { AppTool } from './tool-types.ts';

export function toAiSdkTools(tools: readonly AppTool[]): ToolSet {
  const set: ToolSet = {};
  for (const t of tools) set[t.name] = tool({ description: t.description, inputSchema: t.input });
  return set;
}
