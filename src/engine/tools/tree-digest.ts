// One sha256 over a directory tree: paths, kinds, permission bits, file contents and link targets.
// Two trees with the same digest are the same to every tool (tests of rollback, resume checks).
import { createHash } from 'node:crypto';
import { lstat, readFile, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export async function treeDigest(
  dir: string,
  options: { exclude?: readonly string[] } = {},
): Promise<string> {
  const hash = createHash('sha256');
  const exclude = new Set(options.exclude ?? []);
  const walk = async (abs: string, rel: string): Promise<void> => {
    for (const name of (await readdir(abs)).sort()) {
      if (rel === '' && exclude.has(name)) continue;
      const path = join(abs, name);
      const relPath = rel === '' ? name : `${rel}/${name}`;
      const st = await lstat(path);
      const mode = (st.mode & 0o777).toString(8);
      if (st.isSymbolicLink()) hash.update(`L ${relPath} ${await readlink(path)}\n`);
      else if (st.isDirectory()) {
        hash.update(`D ${relPath} ${mode}\n`);
        await walk(path, relPath);
      } else {
        const content = createHash('sha256')
          .update(await readFile(path))
          .digest('hex');
        hash.update(`F ${relPath} ${mode} ${content}\n`);
      }
    }
  };
  await walk(dir, '');
  return hash.digest('hex');
}
