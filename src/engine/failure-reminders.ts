// Reminders added to a prompt after a specific failure of the previous reply. Each names the
// tools that exist and shows a call generated from the real schema.
import type { CallProblem } from './engine-types.ts';
import { toolCallExample, type ToolLike } from './tool-examples.ts';

export type ReplyFailure = CallProblem;

export function reminder(failure: ReplyFailure, tools: readonly ToolLike[]): string {
  const names = tools.map((t) => t.name).join(', ');
  const example = tools[0] ? ` For example: ${toolCallExample(tools[0])}` : '';
  switch (failure.kind) {
    case 'unknown_tool':
      return `There is no tool named "${failure.name}". The only tools are: ${names}. Call one of them by its exact name.${example}`;
    case 'empty_name':
      return `Every tool call MUST have a name field naming one of: ${names}.${example}`;
    case 'no_call':
      return `You answered in text without calling a tool. To act on the workspace, call a tool (${names}); when the work is done and checked, answer with a short summary and no call.${example}`;
    case 'invalid_input': {
      const tool = tools.find((t) => t.name === failure.tool);
      const shape = tool ? ` Arguments must look like: ${toolCallExample(tool)}` : '';
      return `Your call to ${failure.tool} had invalid arguments: ${failure.error}.${shape}`;
    }
  }
}
