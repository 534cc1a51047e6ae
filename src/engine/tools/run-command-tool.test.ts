import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommandTool } from './run-command-tool.ts';
import { runTool } from './run-tool.ts';
import { tempWorkspace, type TempWorkspace } from './temp-workspace.ts';

let t: TempWorkspace;
afterEach(() => t.cleanup());

/** running: neither gone nor a zombie (a killed orphan stays one until its new parent reaps it) */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
}

/** whether `pid` still runs after a SIGKILL had time to be delivered (real time: a real process) */
async function alive(pid: number): Promise<boolean> {
  for (let i = 0; i < 100 && running(pid); i++) await new Promise((r) => setTimeout(r, 20));
  return running(pid);
}

describe('run_command', () => {
  it('runs a shell command in the workspace and answers its exit code and output', async () => {
    t = tempWorkspace({ 'sub/a.txt': 'hello' });
    const ok = await runTool(runCommandTool, { command: 'cat sub/a.txt; echo; pwd' }, t.ctx);
    expect(ok.ok).toBe(true);
    expect(ok.content).toMatch(
      new RegExp(
        `^\\$ cat sub/a.txt; echo; pwd\\nexit code 0 \\(\\d+\\.\\d s\\)\\nhello\\n${t.ctx.workspace.root}\\n$`,
      ),
    );
    const failed = await runTool(runCommandTool, { command: 'echo oops >&2; exit 3', cwd: 'sub' }, t.ctx);
    expect(failed).toMatchObject({
      ok: false,
      error: { code: 'command_failed', message: expect.stringMatching(/^exit code 3/) },
    });
    expect(failed.content).toContain('oops');
  });

  it('runs argv without a shell: metacharacters are plain arguments', async () => {
    t = tempWorkspace();
    const r = await runTool(
      runCommandTool,
      { argv: ['/bin/echo', '$(touch pwned)', ';', 'rm -rf /'] },
      t.ctx,
    );
    expect(r.content).toContain('$(touch pwned) ; rm -rf /');
    expect((await runTool(runCommandTool, { command: 'ls' }, t.ctx)).content).not.toContain('pwned');
    const missing = await runTool(runCommandTool, { argv: ['no-such-program-xyz'] }, t.ctx);
    expect(missing).toMatchObject({ ok: false, error: { code: 'unavailable' } });
    expect(missing.content).toMatch(/could not start: .*ENOENT/);
  });

  it('kills a command at its timeout together with the processes it started', async () => {
    t = tempWorkspace({}, { limits: { maxTimeoutMs: 300 } });
    // the shell starts a background sleeper, records its pid and waits: both must die
    const r = await runTool(
      runCommandTool,
      { command: 'sleep 30 & echo $! > bg.pid; sleep 30', timeoutSeconds: 60 },
      t.ctx,
    );
    expect(r).toMatchObject({ ok: false, error: { code: 'command_failed' } });
    expect(r.content).toMatch(/killed after the timeout of 0.3 s/);
    expect(r.ok || (r.data as { timedOut: boolean }).timedOut).toBe(true);
    const bg = Number(readFileSync(join(t.dir, 'bg.pid'), 'utf8'));
    expect(await alive(bg)).toBe(false);
  });

  it('ends what a finished command left running in the background', async () => {
    t = tempWorkspace();
    const r = await runTool(runCommandTool, { command: 'sleep 30 & echo $! > bg.pid' }, t.ctx);
    expect(r.ok).toBe(true);
    expect(await alive(Number(readFileSync(join(t.dir, 'bg.pid'), 'utf8')))).toBe(false);
  });

  it('keeps the start and the end of long output within the cap', async () => {
    t = tempWorkspace({}, { limits: { maxOutputBytes: 100 } });
    const r = await runTool(runCommandTool, { command: 'echo FIRST; seq 1 10000; echo LAST' }, t.ctx);
    expect(r.content).toMatch(/FIRST[\s\S]*\[\.\.\. \d+ bytes of output left out \.\.\.\][\s\S]*LAST\n$/);
    const data = r.ok ? (r.data as { outputBytes: number; omittedBytes: number }) : undefined;
    expect(data!.outputBytes).toBeGreaterThan(40_000);
    expect(data!.outputBytes - data!.omittedBytes).toBe(100);
  });

  it('runs without the credentials of the environment', async () => {
    t = tempWorkspace(
      {},
      {
        env: {
          PATH: '/usr/bin:/bin',
          OPENAI_API_KEY: 'sk-x',
          GH_TOKEN: 'g',
          DATABASE_URL: 'postgres://u:pw@h/db',
          LANG: 'C',
          HOME: '/tmp',
        },
      },
    );
    const r = await runTool(runCommandTool, { command: 'env' }, t.ctx);
    expect(r.content).toContain('LANG=C');
    expect(r.content).not.toMatch(/OPENAI_API_KEY|GH_TOKEN|DATABASE_URL|sk-x/);
    expect(r.ok && (r.data as { envRemoved: string[] }).envRemoved).toEqual([
      'DATABASE_URL',
      'GH_TOKEN',
      'OPENAI_API_KEY',
    ]);
  });

  it('stops the command when the run is cancelled', async () => {
    t = tempWorkspace();
    const abort = new AbortController();
    const p = runTool(runCommandTool, { command: 'sleep 30' }, { ...t.ctx, signal: abort.signal });
    setTimeout(() => abort.abort(), 50);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses bad input: both or neither of command and argv, a cwd outside', async () => {
    t = tempWorkspace();
    writeFileSync(join(t.outside, 'x'), '');
    expect((await runTool(runCommandTool, {}, t.ctx)).content).toMatch(/exactly one of command/);
    expect((await runTool(runCommandTool, { command: 'ls', argv: ['ls'] }, t.ctx)).content).toMatch(
      /exactly one of command/,
    );
    expect((await runTool(runCommandTool, { command: 'ls', cwd: '../outside' }, t.ctx)).content).toMatch(
      /path_refused/,
    );
    expect((await runTool(runCommandTool, { command: 'ls', timeoutSeconds: -1 }, t.ctx)).content).toMatch(
      /invalid_input/,
    );
  });
});
