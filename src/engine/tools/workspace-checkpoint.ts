// Workspace checkpoints: a copy of the workspace directory (copy-on-write clones where the file
// system has them), and an exact rollback to one: files added since are removed, changed and
// deleted ones come back, with their modes and symbolic links. A copy rather than a git commit:
// git leaves out what .gitignore names (node_modules, build output) and would write commits into
// the user's repository. Both operations survive a crash: a checkpoint is built under a temporary
// name and renamed into place whole; a rollback interrupted half way is simply run again.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { cp, mkdir, readFile, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../core/errors/index.ts';
import { systemClock, type Clock } from '../../lib/clock.ts';
import { isInside } from './workspace.ts';

export interface Checkpoint {
  id: string;
  /** epoch ms on the injected clock */
  createdAt: number;
  label?: string;
}

export interface WorkspaceCheckpoints {
  /** copies the workspace as checkpoint `id`; an existing checkpoint `id` is returned untouched */
  create(id: string, label?: string): Promise<Checkpoint>;
  /** makes the workspace exactly what it was at checkpoint `id` (idempotent) */
  restore(id: string): Promise<void>;
  get(id: string): Promise<Checkpoint | undefined>;
  /** oldest first */
  list(): Promise<Checkpoint[]>;
  remove(id: string): Promise<void>;
}

export interface CheckpointOptions {
  clock?: Clock;
  /** top-level entries of the workspace neither saved nor touched by a rollback (e.g. node_modules) */
  exclude?: readonly string[];
}

const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function checkId(id: string): void {
  if (!ID.test(id))
    throw new AppError(
      'bad_request',
      `checkpoint id ${JSON.stringify(id)}: expected letters, digits, . _ - (at most 128)`,
      {
        path: 'id',
      },
    );
}

const copyOptions = {
  recursive: true,
  verbatimSymlinks: true,
  preserveTimestamps: true,
  mode: constants.COPYFILE_FICLONE,
};

export async function workspaceCheckpoints(
  workspaceDir: string,
  checkpointsDir: string,
  options: CheckpointOptions = {},
): Promise<WorkspaceCheckpoints> {
  const clock = options.clock ?? systemClock;
  const exclude = new Set(options.exclude ?? []);
  const root = await realpath(workspaceDir);
  await mkdir(checkpointsDir, { recursive: true });
  const dir = await realpath(checkpointsDir);
  if (isInside(root, dir) || isInside(dir, root))
    throw new AppError(
      'bad_request',
      `the checkpoints folder ${dir} and the workspace ${root} must not contain each other`,
    );

  const metaPath = (id: string): string => join(dir, id, 'checkpoint.json');
  const get = async (id: string): Promise<Checkpoint | undefined> => {
    checkId(id);
    try {
      return JSON.parse(await readFile(metaPath(id), 'utf8')) as Checkpoint;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  };
  const entries = async (from: string): Promise<string[]> =>
    (await readdir(from)).filter((n) => !exclude.has(n));

  return {
    get,
    async create(id, label) {
      const existing = await get(id);
      if (existing) return existing;
      const partial = join(dir, `.partial-${id}-${randomUUID()}`);
      const checkpoint: Checkpoint = {
        id,
        createdAt: clock.now(),
        ...(label === undefined ? {} : { label }),
      };
      try {
        await mkdir(join(partial, 'tree'), { recursive: true });
        for (const name of await entries(root))
          await cp(join(root, name), join(partial, 'tree', name), copyOptions);
        await writeFile(join(partial, 'checkpoint.json'), JSON.stringify(checkpoint));
        await rename(partial, join(dir, id));
      } catch (e) {
        await rm(partial, { recursive: true, force: true });
        const raced = await get(id);
        if (raced) return raced;
        throw e;
      }
      return checkpoint;
    },
    async restore(id) {
      if (!(await get(id)))
        throw new AppError('not_found', `no checkpoint ${JSON.stringify(id)} in ${dir}`, { path: 'id' });
      const tree = join(dir, id, 'tree');
      for (const name of await entries(root)) await rm(join(root, name), { recursive: true, force: true });
      for (const name of await entries(tree)) await cp(join(tree, name), join(root, name), copyOptions);
    },
    async list() {
      const found: Checkpoint[] = [];
      for (const name of await readdir(dir)) {
        if (name.startsWith('.') || !ID.test(name)) continue;
        const c = await get(name);
        if (c) found.push(c);
      }
      return found.sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
    },
    async remove(id) {
      checkId(id);
      const target = join(dir, id);
      if (!(await stat(target).catch(() => undefined))) return;
      // renamed first, so a crash mid-delete leaves no half checkpoint under its id
      const doomed = join(dir, `.removing-${id}-${randomUUID()}`);
      await rename(target, doomed);
      await rm(doomed, { recursive: true, force: true });
    },
  };
}
