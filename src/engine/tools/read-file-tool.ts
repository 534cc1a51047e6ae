// read_file: a text file of the workspace, whole or a range of lines, capped in size.
import { z } from 'zod';
import { defineTool } from './define-tool.ts';
import { ToolError } from './tool-error.ts';
import { limitsOf } from './tool-types.ts';

const Input = z
  .object({
    path: z.string().describe('file path relative to the workspace root, e.g. "src/index.ts"'),
    startLine: z.number().int().min(1).optional().describe('first line to read (1-based); default 1'),
    endLine: z.number().int().min(1).optional().describe('last line to read (inclusive); default the last'),
  })
  .strict();

/** bytes looked at for a NUL to call a file binary (as git does) */
const BINARY_PROBE = 8000;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

export const readFileTool = defineTool({
  name: 'read_file',
  description:
    'Read a text file of the workspace. Optionally a range of lines (startLine, endLine). Long files are ' +
    'cut at a size limit; the answer then says which lines it holds and how to read on.',
  input: Input,
  effect: 'none',
  async execute(input, ctx) {
    const { workspace } = ctx;
    const abs = await workspace.resolve(input.path, 'read');
    const bytes = await workspace.readBytes(abs);
    const shown = workspace.display(abs);
    if (bytes === undefined)
      throw new ToolError('not_found', `${shown} does not exist; list_files shows the workspace's files`);
    if (bytes.subarray(0, BINARY_PROBE).includes(0))
      throw new ToolError(
        'binary_file',
        `${shown} is a binary file (${bytes.length} bytes); read_file reads text`,
      );
    const lines = splitLines(bytes.toString('utf8'));
    const total = lines.length;
    const start = input.startLine ?? 1;
    const end = Math.min(input.endLine ?? total, total);
    if (input.endLine !== undefined && input.endLine < start)
      throw new ToolError('invalid_input', `endLine ${input.endLine} is before startLine ${start}`);
    if (total > 0 && start > total)
      throw new ToolError('invalid_input', `${shown} has ${total} lines; startLine ${start} is past its end`);
    const { maxReadBytes } = limitsOf(ctx);
    let text = '';
    let size = 0;
    let last = start - 1;
    let lineCut = false;
    for (let i = start - 1; i < end; i++) {
      const line = `${lines[i]!}\n`;
      const lineSize = Buffer.byteLength(line);
      if (size + lineSize > maxReadBytes) {
        if (last < start) {
          // the first line alone is above the cap: its start, cut on a character boundary
          text =
            Buffer.from(line)
              .subarray(0, maxReadBytes)
              .toString('utf8')
              .replace(/\uFFFD$/, '') + '\n';
          last = i + 1;
          lineCut = true;
        }
        break;
      }
      text += line;
      size += lineSize;
      last = i + 1;
    }
    const truncated = last < end || lineCut;
    let note = total === 0 ? `[${shown} is empty]\n` : '';
    if (lineCut) note = `[line ${last} is longer than ${maxReadBytes} bytes: only its start is shown]\n`;
    else if (last < end)
      note = `[lines ${start}-${last} of ${total}; cut at ${maxReadBytes} bytes: read on with startLine ${last + 1}]\n`;
    else if (start > 1 || last < total) note = `[lines ${start}-${last} of ${total}]\n`;
    return {
      ok: true,
      content: text + note,
      data: { path: shown, startLine: start, endLine: last, totalLines: total, truncated },
    };
  },
});
