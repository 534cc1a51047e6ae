// patch_file: changes part of a file by search/replace edits and/or a unified diff, all or nothing.
import { Buffer } from 'node:buffer';
import { z } from 'zod';
import { contentHash } from './content-hash.ts';
import { defineTool } from './define-tool.ts';
import { applyEdits, type Edit } from './search-replace.ts';
import { ToolError } from './tool-error.ts';
import { limitsOf, type ToolContext } from './tool-types.ts';
import { applyUnifiedDiff, parseUnifiedDiff } from './unified-diff.ts';

const EditSchema = z
  .object({
    search: z.string().describe('exact text to find (copy it from read_file, with its indentation)'),
    replace: z.string().describe('text to put in its place'),
    replaceAll: z
      .boolean()
      .optional()
      .describe('replace every occurrence; default: the text must occur once'),
  })
  .strict();

const Input = z
  .object({
    path: z.string().describe('file path relative to the workspace root'),
    search: z.string().optional().describe('one edit: exact text to find (it must occur once)'),
    replace: z.string().optional().describe('one edit: text to put in place of search'),
    edits: z.array(EditSchema).optional().describe('several edits, applied in order'),
    diff: z
      .string()
      .optional()
      .describe('a unified diff of this one file (as `diff -u` or `git diff` writes)'),
  })
  .strict();

type PatchInput = z.output<typeof Input>;

function editsOf(input: PatchInput): Edit[] {
  const edits: Edit[] = [...(input.edits ?? [])];
  if (input.search !== undefined || input.replace !== undefined) {
    if (input.search === undefined || input.replace === undefined)
      throw new ToolError('invalid_input', 'give both search and replace (or use edits)');
    edits.unshift({ search: input.search, replace: input.replace });
  }
  if (edits.length === 0 && input.diff === undefined)
    throw new ToolError(
      'invalid_input',
      'give an edit (search and replace, or edits) or a unified diff (diff)',
    );
  return edits;
}

/** the file's current bytes and the text after the patch, without writing anything */
async function patched(
  input: PatchInput,
  ctx: ToolContext,
): Promise<{ abs: string; before?: Buffer; after: string }> {
  const edits = editsOf(input);
  const abs = await ctx.workspace.resolve(input.path, 'write');
  const before = await ctx.workspace.readBytes(abs);
  const shown = ctx.workspace.display(abs);
  if (before === undefined && (edits.length > 0 || input.diff === undefined))
    throw new ToolError('not_found', `${shown} does not exist; write_file creates files`);
  if (before?.subarray(0, 8000).includes(0)) throw new ToolError('binary_file', `${shown} is a binary file`);
  let text = before?.toString('utf8');
  try {
    if (input.diff !== undefined) text = applyUnifiedDiff(text, parseUnifiedDiff(input.diff));
    text = applyEdits(text ?? '', edits);
  } catch (e) {
    if (e instanceof ToolError) throw new ToolError(e.code, `${shown}: ${e.message}; nothing was changed`);
    throw e;
  }
  const { maxWriteBytes } = limitsOf(ctx);
  if (Buffer.byteLength(text) > maxWriteBytes)
    throw new ToolError(
      'too_large',
      `${shown} would be ${Buffer.byteLength(text)} bytes; the limit is ${maxWriteBytes}`,
    );
  return before === undefined ? { abs, after: text } : { abs, before, after: text };
}

export const patchFileTool = defineTool({
  name: 'patch_file',
  description:
    'Change part of a file: replace an exact search text (it must occur once) with replace, several such ' +
    'edits, or apply a unified diff. Either every change applies or none does.',
  input: Input,
  effect: 'workspace',
  async plan(input, ctx) {
    const p = await patched(input, ctx);
    return {
      kind: 'file',
      path: ctx.workspace.display(p.abs),
      before: contentHash(p.before),
      after: contentHash(p.after),
    };
  },
  async execute(input, ctx) {
    const p = await patched(input, ctx);
    const shown = ctx.workspace.display(p.abs);
    if (p.before !== undefined && p.before.toString('utf8') === p.after)
      return {
        ok: true,
        content: `${shown} already has this content; nothing changed`,
        data: { path: shown, changed: false },
      };
    await ctx.workspace.writeAtomic(p.abs, p.after);
    const lines = p.after.split('\n').length - (p.after.endsWith('\n') ? 1 : 0);
    return {
      ok: true,
      content: `patched ${shown} (now ${lines} lines)`,
      data: { path: shown, changed: true, hash: contentHash(p.after) },
    };
  },
});
