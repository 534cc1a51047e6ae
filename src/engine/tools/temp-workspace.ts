// Temporary workspaces for the tools' tests: a directory with given files, removed by cleanup().
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openWorkspace } from './workspace.ts';
import type { ToolContext } from './tool-types.ts';

export interface TempWorkspace {
  dir: string;
  /** a folder next to the workspace (outside it) */
  outside: string;
  ctx: ToolContext;
  cleanup(): void;
}

export function tempWorkspace(
  files: Record<string, string> = {},
  ctx: Partial<ToolContext> = {},
): TempWorkspace {
  const base = mkdtempSync(join(tmpdir(), 'orchestra-tools-'));
  const dir = join(base, 'ws');
  const outside = join(base, 'outside');
  mkdirSync(dir);
  mkdirSync(outside);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return {
    dir,
    outside,
    ctx: {
      workspace: openWorkspace(dir),
      idempotencyKey: 'run1/agent/1/0',
      agent: 'implementer',
      runId: 'run1',
      env: { PATH: '/usr/local/bin:/usr/bin:/bin' },
      ...ctx,
    },
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}
