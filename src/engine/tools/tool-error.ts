// Errors of application tools. They are results the model sees (the engine turns them into a tool
// result with ok: false), not crashes: each says what was wrong and what would work instead.

export const TOOL_ERROR_CODES = [
  'invalid_input',
  'path_refused',
  'not_found',
  'not_a_file',
  'too_large',
  'binary_file',
  'patch_failed',
  'ambiguous_match',
  'command_failed',
  'interrupted',
  'unavailable',
  'io_error',
  'internal',
] as const;
export type ToolErrorCode = (typeof TOOL_ERROR_CODES)[number];

export class ToolError extends Error {
  readonly code: ToolErrorCode;

  constructor(code: ToolErrorCode, message: string) {
    super(message);
    this.name = 'ToolError';
    this.code = code;
  }
}

/** a ToolError for a failed file operation, by node's error code (ENOENT, EISDIR, ...) */
export function fsToolError(e: unknown, path: string): ToolError {
  if (e instanceof ToolError) return e;
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return new ToolError('not_found', `${path} does not exist`);
  if (code === 'EISDIR') return new ToolError('not_a_file', `${path} is a directory, not a file`);
  if (code === 'ENOTDIR')
    return new ToolError('not_found', `${path}: a part of the path is a file, not a directory`);
  if (code === 'EACCES' || code === 'EPERM') return new ToolError('io_error', `${path}: permission denied`);
  return new ToolError('io_error', `${path}: ${(e as Error).message}`);
}
