// Ctrl-C during `orchestra run` (issue 17): a real child process (its own process group, like a
// shell's foreground job) gets SIGINT sent to the group mid-run, four times
// at different stages (planning done, mid-agent, in the second agent, at its acceptance check), each time after a resume.
// Each interrupted process exits with 130 and says how to resume; the store is left consistent
// (the run is resumable, no agent judged on an interrupted attempt); the last resume finishes the
// run exactly like an uninterrupted one, with no tool effect applied twice. A run cancelled with
// `orchestra runs cancel` from another process stops and is not offered for a resume.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRun } from '../../src/runner/run-log.ts';
import { openRunStore } from '../../src/store/run-store.ts';
import { startCli } from './cli-process.ts';
import { FLEET, exitOf, outcomeOf, smallPipeline } from './run-outcome.ts';

describe('orchestra run: Ctrl-C', () => {
  it(
    'stops cleanly, stays resumable, and resumes to the uninterrupted result',
    { timeout: 300_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'run-ctrl-c-'));
      const pipeline = smallPipeline(dir);
      const store = join(dir, 'runs.sqlite');
      // each child leads its own process group and gets SIGINT as a group, as from a terminal
      const args = (ws: string): string[] => [
        'run',
        pipeline,
        '--config',
        FLEET,
        '--emulate',
        '--store',
        store,
        '--workspace',
        ws,
        '--json',
      ];
      const run = (ws: string) => startCli(args(ws), {}, { group: true });

      const refWs = join(dir, 'ref');
      const ref = run(refWs);
      expect(await exitOf(ref)).toBe(0);
      const db = openRunStore(store);
      const expected = outcomeOf(db.events(JSON.parse(ref.output().split('\n')[0]!).run as string), refWs);

      const ws = join(dir, 'interrupted');
      mkdirSync(ws);
      // the JSON line of an event (--json) after which the child gets SIGINT
      const stages = [
        /^\{"seq":\d+,.*"type":"run_started"/,
        /^\{"seq":\d+,.*"agent":"architect",.*"type":"tool_effect"/,
        /^\{"seq":\d+,.*"agent":"impl-muldiv",.*"type":"model_call"/,
        // its acceptance check runs next (in its own process group: src/runner/run-workspace.test.ts)
        /^\{"seq":\d+,.*"agent":"impl-muldiv",.*"type":"decision","decision":\{"action":"finish"/,
      ];
      let id = '';
      for (const [i, stage] of stages.entries()) {
        const child = id
          ? startCli(['runs', 'resume', id, '--store', store, '--json'], {}, { group: true })
          : run(ws);
        await child.waitFor(stage, 120_000);
        process.kill(-child.proc.pid!, 'SIGINT');
        const code = await exitOf(child);
        const out = child.output();
        id ||= JSON.parse(out.split('\n')[0]!).run as string;
        expect({ stage: i, code }).toEqual({ stage: i, code: 130 });
        expect(out).toContain(`interrupted: resume with orchestra runs resume ${id}`);
        expect(out).not.toMatch(/^\w*Error\b|^\s+at /m); // no crash, no stack trace
        // the store holds a run that is neither finished nor judged on the interrupted attempt
        const { view } = readRun(db, id);
        expect(view.status).toBe('running');
        expect(Object.values(view.agents).filter((a) => a.status === 'failed')).toEqual([]);
        const listed = startCli(['runs', 'list', '--store', store]);
        expect(await exitOf(listed)).toBe(0);
        expect(listed.output()).toContain(id);
      }
      const resumed = startCli(['runs', 'resume', id, '--store', store]);
      const code = await exitOf(resumed);
      expect({ code, tail: code === 0 ? '' : resumed.output().slice(-2000) }).toEqual({ code: 0, tail: '' });
      expect(outcomeOf(db.events(id), ws)).toEqual(expected);
      expect(readRun(db, id).view.status).toBe('succeeded');
      db.close();
    },
  );

  it(
    'stops a run cancelled from another process, and says it cannot be resumed',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'run-cancel-'));
      const pipeline = smallPipeline(dir);
      const store = join(dir, 'runs.sqlite');
      // the child freezes after event 12 (mid-architect) while the hold file exists
      const hold = join(dir, 'hold');
      writeFileSync(hold, '');
      const child = startCli(
        [
          'run',
          pipeline,
          '--config',
          FLEET,
          '--emulate',
          '--store',
          store,
          '--workspace',
          join(dir, 'ws'),
          '--json',
        ],
        { ORCHESTRA_RUN_PAUSE_AT_SEQ: '12', ORCHESTRA_RUN_HOLD_FILE: hold },
      );
      await child.waitFor(/paused after event 12$/, 60_000);
      const id = JSON.parse(child.output().split('\n')[0]!).run as string;
      const cancel = startCli(['runs', 'cancel', id, '--store', store]);
      expect(await exitOf(cancel)).toBe(0);
      expect(cancel.output()).toContain(`run ${id} cancelled`);
      rmSync(hold);
      expect(await exitOf(child)).toBe(1);
      expect(child.output()).toContain(
        `run ${id} was cancelled (orchestra runs cancel); it cannot be resumed`,
      );
      expect(child.output()).not.toContain('interrupted: resume');
      const db = openRunStore(store);
      expect(readRun(db, id).view.status).toBe('cancelled');
      db.close();
      const resume = startCli(['runs', 'resume', id, '--store', store]);
      expect(await exitOf(resume)).toBe(0);
      expect(resume.output()).toMatch(/has already cancelled; nothing to resume/);
    },
  );
});
