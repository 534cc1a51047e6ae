// The application tools by name. A pipeline names the tools an agent may use; appToolsFor() gives
// their definitions, in the order asked, or a clear error naming the unknown ones.
import { AppError } from '../../core/errors/index.ts';
import { listFilesTool } from './list-files-tool.ts';
import { searchNotesTool, storeNoteTool } from './note-tools.ts';
import { patchFileTool } from './patch-file-tool.ts';
import { readFileTool } from './read-file-tool.ts';
import { runCommandTool } from './run-command-tool.ts';
import type { AppTool } from './tool-types.ts';
import { writeFileTool } from './write-file-tool.ts';

export const APP_TOOLS: readonly AppTool[] = [
  readFileTool,
  writeFileTool,
  listFilesTool,
  patchFileTool,
  runCommandTool,
  searchNotesTool,
  storeNoteTool,
] as AppTool[];

export const APP_TOOL_NAMES: readonly string[] = APP_TOOLS.map((t) => t.name);

export function appTool(name: string): AppTool | undefined {
  return APP_TOOLS.find((t) => t.name === name);
}

export function appToolsFor(names: readonly string[]): AppTool[] {
  const unknown = names.filter((n) => !appTool(n));
  if (unknown.length > 0)
    throw new AppError(
      'bad_request',
      `unknown tool${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}: ` +
        `expected some of ${APP_TOOL_NAMES.join(', ')}`,
      { path: 'tools' },
    );
  return [...new Set(names)].map((n) => appTool(n)!);
}
