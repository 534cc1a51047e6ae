// A child process for execute-once.crash.test.ts: applies `count` patches, each appending one
// line to log.txt (and every fifth a write_file), through executeOnce with a journal on disk.
// The test kills it with SIGKILL at random points and finishes the work in another process.
import { openEffectJournal } from '../../store/effect-journal-store.ts';
import { executeOnce } from './execute-once.ts';
import { appToolsFor } from './tool-registry.ts';
import type { ToolContext } from './tool-types.ts';
import { openWorkspace } from './workspace.ts';

export async function appendLines(workspaceDir: string, journalPath: string, count: number): Promise<void> {
  const journal = openEffectJournal({ path: journalPath });
  const [patch, write] = appToolsFor(['patch_file', 'write_file']);
  const base: Omit<ToolContext, 'idempotencyKey'> = {
    workspace: openWorkspace(workspaceDir),
    agent: 'a',
    runId: 'r',
    env: {},
  };
  for (let i = 1; i <= count; i++) {
    const input = { path: 'log.txt', search: `line ${i - 1}\n`, replace: `line ${i - 1}\nline ${i}\n` };
    const r = await executeOnce(patch!, input, { ...base, idempotencyKey: `r/a/${i}/0` }, journal);
    if (!r.ok) throw new Error(`patch ${i}: ${r.content}`);
    if (i % 5 === 0)
      await executeOnce(
        write!,
        { path: `w/${i}.txt`, content: `${i}\n` },
        { ...base, idempotencyKey: `r/a/${i}/1` },
        journal,
      );
  }
  journal.close();
}

if (process.argv[1] === import.meta.filename) {
  const [dir, journalPath, count] = process.argv.slice(2);
  process.stdout.write('ready\n');
  await appendLines(dir!, journalPath!, Number(count));
  process.stdout.write('done\n');
}
