// list_files: the workspace's files and folders under a path, recursively by default, capped,
// without .git and node_modules. Symbolic links are listed, not followed (one could lead out).
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { defineTool } from './define-tool.ts';
import { ToolError, fsToolError } from './tool-error.ts';
import { limitsOf } from './tool-types.ts';

export const IGNORED_DIRS: ReadonlySet<string> = new Set(['.git', 'node_modules']);

const Input = z
  .object({
    path: z.string().default('.').describe('folder relative to the workspace root; default the root'),
    recursive: z.boolean().default(true).describe('list subfolders too; default true'),
  })
  .strict();

interface Entry {
  path: string;
  kind: 'file' | 'dir' | 'link';
  bytes?: number;
  target?: string;
}

export const listFilesTool = defineTool({
  name: 'list_files',
  description:
    'List the files and folders of the workspace under a path (folders end with /). Recursive by default; ' +
    '.git and node_modules are left out; long listings are cut at a limit.',
  input: Input,
  effect: 'none',
  async execute(input, ctx) {
    const { workspace } = ctx;
    const rootAbs = await workspace.resolve(input.path, 'read');
    const info = await lstat(rootAbs).catch((e: unknown) => {
      throw fsToolError(e, input.path);
    });
    if (!info.isDirectory())
      throw new ToolError('not_a_file', `${input.path} is a file, not a folder; read_file reads it`);
    const { maxListEntries } = limitsOf(ctx);
    const entries: Entry[] = [];
    let truncated = false;
    // depth first in name order, so a cut listing is a prefix of the full one
    const walk = async (dir: string): Promise<void> => {
      const names = (await readdir(dir)).sort();
      for (const name of names) {
        if (entries.length >= maxListEntries) {
          truncated = true;
          return;
        }
        const abs = join(dir, name);
        const st = await lstat(abs);
        const path = workspace.display(abs);
        if (st.isSymbolicLink()) entries.push({ path, kind: 'link', target: await readlink(abs) });
        else if (st.isDirectory()) {
          if (IGNORED_DIRS.has(name)) continue;
          entries.push({ path, kind: 'dir' });
          if (input.recursive) await walk(abs);
        } else if (!name.startsWith('.orchestra-tmp-')) entries.push({ path, kind: 'file', bytes: st.size });
        if (truncated) return;
      }
    };
    await walk(rootAbs).catch((e: unknown) => {
      throw fsToolError(e, input.path);
    });
    const lines = entries.map((e) =>
      e.kind === 'dir' ? `${e.path}/` : e.kind === 'link' ? `${e.path} -> ${e.target!}` : e.path,
    );
    if (entries.length === 0) lines.push(`[${workspace.display(rootAbs)} is empty]`);
    if (truncated)
      lines.push(
        `[cut after ${maxListEntries} entries: list a subfolder, or recursive: false, to see the rest]`,
      );
    return { ok: true, content: lines.join('\n'), data: { entries, truncated } };
  },
});
