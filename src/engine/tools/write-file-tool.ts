// write_file: creates or replaces a file of the workspace with the given text, whole or not at all.
import { Buffer } from 'node:buffer';
import { z } from 'zod';
import { contentHash } from './content-hash.ts';
import { defineTool } from './define-tool.ts';
import { ToolError } from './tool-error.ts';
import { limitsOf, type ToolContext } from './tool-types.ts';

const Input = z
  .object({
    path: z.string().describe('file path relative to the workspace root; missing folders are created'),
    content: z.string().describe('the complete new content of the file'),
  })
  .strict();

async function target(input: z.output<typeof Input>, ctx: ToolContext): Promise<string> {
  const size = Buffer.byteLength(input.content);
  const { maxWriteBytes } = limitsOf(ctx);
  if (size > maxWriteBytes)
    throw new ToolError('too_large', `content is ${size} bytes; write_file takes at most ${maxWriteBytes}`);
  return ctx.workspace.resolve(input.path, 'write');
}

export const writeFileTool = defineTool({
  name: 'write_file',
  description:
    'Create or replace a file of the workspace with the complete content given. For a small change to a ' +
    'long file, patch_file is cheaper.',
  input: Input,
  effect: 'workspace',
  async plan(input, ctx) {
    const abs = await target(input, ctx);
    const before = contentHash(await ctx.workspace.readBytes(abs));
    return { kind: 'file', path: ctx.workspace.display(abs), before, after: contentHash(input.content) };
  },
  async execute(input, ctx) {
    const abs = await target(input, ctx);
    const existed = (await ctx.workspace.readBytes(abs)) !== undefined;
    await ctx.workspace.writeAtomic(abs, input.content);
    const shown = ctx.workspace.display(abs);
    const bytes = Buffer.byteLength(input.content);
    return {
      ok: true,
      content: `${existed ? 'replaced' : 'created'} ${shown} (${bytes} bytes)`,
      data: { path: shown, bytes, created: !existed, hash: contentHash(input.content) },
    };
  },
});
