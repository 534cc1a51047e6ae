// The tools of one agent in one run, as the runner asks for them (runner/engine-port.ts:
// `toolsFor(names, workspaceDir, runId)`), with what they need next to the workspace when the
// caller does not pass it: the effect journal and the knowledge store share one SQLite file beside
// the workspace directory (`<workspace>.tools.db`, outside it: models cannot edit it and checkpoints
// do not copy it), found again by a resumed run. One connection per file per process.
import { basename } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { EngineTool } from '../engine-types.ts';
import { openEffectJournal } from '../../store/effect-journal-store.ts';
import { openKnowledgeStore, type KnowledgeStore } from '../../store/knowledge-store.ts';
import type { Embedder } from '../../store/knowledge-note.ts';
import type { Clock } from '../../lib/clock.ts';
import { engineToolsFor, type EngineToolDeps } from './engine-tools.ts';
import type { EffectJournal } from './execute-once.ts';
import { openWorkspace } from './workspace.ts';

/** the environment of commands when the caller passes none: a search path, nothing else */
export const MINIMAL_ENV: Readonly<Record<string, string>> = { PATH: '/usr/local/bin:/usr/bin:/bin' };

export interface RunToolsOptions extends Partial<EngineToolDeps> {
  /** the knowledge store's project (default: the workspace folder's name) */
  project?: string;
  /** the knowledge store's embedding model, when one is configured */
  embedder?: Embedder;
  clock?: Clock;
}

export function toolsDbPath(workspaceDir: string): string {
  return `${workspaceDir.replace(/\/+$/, '')}.tools.db`;
}

interface Shared {
  db: DatabaseSync;
  journal: EffectJournal;
  knowledge: Map<string, KnowledgeStore>;
}

const open = new Map<string, Shared>();

function shared(path: string): Shared {
  let s = open.get(path);
  if (!s) {
    const db = new DatabaseSync(path);
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('PRAGMA synchronous = NORMAL');
    db.exec('PRAGMA busy_timeout = 5000');
    s = { db, journal: openEffectJournal({ db }), knowledge: new Map() };
    open.set(path, s);
  }
  return s;
}

export function toolsFor(
  names: readonly string[],
  workspaceDir: string,
  _runId: string,
  options: RunToolsOptions = {},
): EngineTool<never>[] {
  const workspace = options.workspace ?? openWorkspace(workspaceDir);
  const needsDb = options.journal === undefined || options.knowledge === undefined;
  const s = needsDb ? shared(toolsDbPath(workspace.root)) : undefined;
  const project = options.project ?? basename(workspace.root);
  let knowledge = options.knowledge ?? s!.knowledge.get(project);
  if (!knowledge) {
    knowledge = openKnowledgeStore({
      db: s!.db,
      project,
      ...(options.embedder ? { embedder: options.embedder } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
    s!.knowledge.set(project, knowledge);
  }
  return engineToolsFor(names, {
    workspace,
    env: options.env ?? MINIMAL_ENV,
    journal: options.journal ?? s!.journal,
    knowledge,
    ...(options.limits ? { limits: options.limits } : {}),
  });
}

/** closes the shared files (tests, and a process that runs several workspaces one after another) */
export function closeRunTools(): void {
  for (const s of open.values()) if (s.db.isOpen) s.db.close();
  open.clear();
}
