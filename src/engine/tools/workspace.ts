// The run's workspace: the one directory application tools may touch. Every path a model gives is
// resolved here; a path that is absolute, climbs out with `..`, or reaches outside through a
// symbolic link is refused with an error that says what to give instead.
import { randomUUID } from 'node:crypto';
import {
  lstat,
  mkdir,
  readFile,
  readdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, relative, resolve, sep } from 'node:path';
import { AppError } from '../../core/errors/index.ts';
import { ToolError, fsToolError } from './tool-error.ts';

export interface Workspace {
  /** the workspace directory, symbolic links resolved */
  readonly root: string;
  /** the absolute path for `path` (relative to the root), checked to stay inside the workspace */
  resolve(path: string, purpose: 'read' | 'write'): Promise<string>;
  /** `abs` as the model sees it: relative to the root, '.' for the root */
  display(abs: string): string;
  /** the file's bytes, or undefined when it does not exist */
  readBytes(abs: string): Promise<Buffer | undefined>;
  /** writes the file whole or not at all (a temporary file renamed over it), parents created */
  writeAtomic(abs: string, data: string | Uint8Array): Promise<void>;
}

const TMP_PREFIX = '.orchestra-tmp-';

/**
 * A process killed between writing a temporary file and renaming it leaves the temporary behind;
 * the next write into the same directory (a resume redoes the interrupted one) removes those whose
 * writer is gone. Live writers' files are kept: agents may write side by side.
 */
async function sweepOrphans(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(TMP_PREFIX)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(TMP_PREFIX.length))?.[1]);
    if (Number.isInteger(pid) && pid > 0 && alive(pid)) continue;
    await rm(join(dir, name), { force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to someone else
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function isInside(root: string, abs: string): boolean {
  return abs === root || abs.startsWith(root.endsWith(sep) ? root : root + sep);
}

/** refuses what is not a relative path inside the root, before touching the disk */
function lexical(root: string, path: unknown): string {
  if (typeof path !== 'string' || path.trim() === '')
    throw new ToolError('invalid_input', 'expected a path relative to the workspace, e.g. "src/index.ts"');
  if (path.includes('\0')) throw new ToolError('path_refused', 'a path may not contain a NUL character');
  if (isAbsolute(path) || path.startsWith('~'))
    throw new ToolError(
      'path_refused',
      `${path} is an absolute path; give a path relative to the workspace root, e.g. "src/index.ts"`,
    );
  const norm = normalize(path);
  if (norm === '..' || norm.startsWith(`..${sep}`))
    throw new ToolError('path_refused', `${path} is outside the workspace (it climbs out with ..)`);
  return join(root, norm);
}

/** the real path of `abs`, following every symbolic link of the parts that exist */
async function realOf(root: string, abs: string, original: string): Promise<string> {
  let existing = abs;
  const rest: string[] = [];
  for (;;) {
    try {
      const info = await lstat(existing);
      if (info.isSymbolicLink()) {
        try {
          existing = await realpath(existing);
        } catch {
          const target = await readlink(existing);
          throw new ToolError(
            'path_refused',
            `${original} is a symbolic link to ${target}, which does not exist`,
          );
        }
      } else existing = await realpath(existing);
      break;
    } catch (e) {
      if (e instanceof ToolError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR')
        throw fsToolError(e, original);
      if (existing === root) throw fsToolError(e, 'the workspace root');
      rest.unshift(relative(dirname(existing), existing));
      existing = dirname(existing);
    }
  }
  const real = rest.length === 0 ? existing : join(existing, ...rest);
  if (!isInside(root, real))
    throw new ToolError(
      'path_refused',
      `${original} is outside the workspace (a symbolic link leads out of it)`,
    );
  return real;
}

export function openWorkspace(dir: string): Workspace {
  let root: string;
  try {
    root = realpathSync(resolve(dir));
    if (!statSync(root).isDirectory()) throw new Error('not a directory');
  } catch (e) {
    // the caller's configuration, not a model's call: an AppError
    throw new AppError('not_found', `workspace ${dir} is not a directory: ${(e as Error).message}`, {
      path: dir,
    });
  }
  const display = (abs: string): string => relative(root, abs) || '.';
  return {
    root,
    display,
    async resolve(path, purpose) {
      if (purpose === 'write' && typeof path === 'string' && /\/\.?$/.test(path))
        throw new ToolError(
          'invalid_input',
          `${path} names a folder; give the path of a file, e.g. "${path.replace(/\/\.?$/, '')}/index.ts"`,
        );
      const real = await realOf(root, lexical(root, path), path);
      const parts = relative(root, real).split(sep);
      if (purpose === 'write' && parts.includes('.git'))
        throw new ToolError(
          'path_refused',
          `${path} is inside .git; the repository's metadata is not for tools to edit`,
        );
      return real;
    },
    async readBytes(abs) {
      try {
        const info = await stat(abs);
        if (info.isDirectory())
          throw new ToolError('not_a_file', `${display(abs)} is a directory, not a file`);
        return await readFile(abs);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw fsToolError(e, display(abs));
      }
    },
    async writeAtomic(abs, data) {
      const tmp = join(dirname(abs), `${TMP_PREFIX}${process.pid}-${randomUUID()}`);
      try {
        const info = await stat(abs).catch(() => undefined);
        if (info?.isDirectory())
          throw new ToolError('not_a_file', `${display(abs)} is a directory, not a file`);
        await mkdir(dirname(abs), { recursive: true });
        await sweepOrphans(dirname(abs));
        await writeFile(tmp, data, info ? { mode: info.mode } : {});
        await rename(tmp, abs);
      } catch (e) {
        await rm(tmp, { force: true });
        throw fsToolError(e, display(abs));
      }
    },
  };
}
