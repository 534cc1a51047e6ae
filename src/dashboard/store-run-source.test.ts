// The runs page over the run store: the runner's fold per run, planned and actual spans, heals,
// runs appended by another connection seen by the poll, and the answer to a waiting run (recorded
// as `orchestra runs answer` records it, then resumed in a process of its own).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.ts';
import { readRun } from '../runner/run-log.ts';
import { openRunStore } from '../store/run-store.ts';
import { storeRunSource } from './store-run-source.ts';
import { QUESTION, writeWaitingRun } from './testing/waiting-run.ts';

const T0 = Date.UTC(2026, 5, 1, 9);

describe('storeRunSource', () => {
  it('lists runs and details one: agents, planned against actual, heals, events', () => {
    const store = openRunStore(':memory:');
    writeWaitingRun(store, 'run-1', T0);
    const runs = storeRunSource(store, new ManualClock(T0));
    expect(runs.list()).toEqual([
      expect.objectContaining({
        id: 'run-1',
        pipeline: 'tdd-small',
        state: 'waiting',
        emulated: true,
        agents: 2,
        agentsDone: 1,
        heals: 1,
        question: QUESTION,
        startedAtMs: T0,
        updatedAtMs: T0 + 200_000,
      }),
    ]);
    const d = runs.get('run-1')!;
    expect(d.agentsList).toEqual([
      expect.objectContaining({
        id: 'architect',
        state: 'succeeded',
        server: 'alpha',
        planned: { startMs: 0, endMs: 120_000, server: 'alpha' },
        actual: { startMs: 1000, endMs: 130_000 },
        heals: 1,
      }),
      expect.objectContaining({ id: 'implementer', state: 'waiting', actual: { startMs: 131_000 } }),
    ]);
    // an emulated run's open spans end at its latest event, not at the wall clock
    expect(d.spanNowMs).toBe(200_000);
    expect(d.healEvents).toEqual([
      {
        atMs: T0 + 90_000,
        agent: 'architect',
        kind: 'invalid_tool_call',
        action: 'retry_changed_prompt',
        detail: 'write_file: missing path',
      },
    ]);
    expect(d.events.map((e) => e.type)).toEqual([
      'run_started',
      'attempt_started',
      'heal',
      'agent_done',
      'attempt_started',
      'ask_user',
    ]);
    expect(d.events.at(-1)!.summary).toContain(QUESTION);
    expect(runs.get('nope')).toBeUndefined();
  });

  it('sees a run another connection writes within one poll, and stops polling when nobody listens', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-source-'));
    const clock = new ManualClock(T0);
    // the gateway's connection, and another process's (`orchestra run`) on the same file
    const store = openRunStore(join(dir, 'runs.sqlite'));
    const other = openRunStore(join(dir, 'runs.sqlite'));
    try {
      const runs = storeRunSource(store, clock, { pollMs: 1000 });
      let changes = 0;
      const off = runs.subscribe(() => changes++);
      await clock.advance(1000);
      expect(changes).toBe(0);
      writeWaitingRun(other, 'run-2', T0);
      await clock.advance(1000);
      expect(changes).toBe(1);
      expect(runs.list().map((r) => r.id)).toEqual(['run-2']);
      await clock.advance(3000);
      expect(changes).toBe(1);
      // an executor taking the run over is a change too (the page shows who runs it)
      other.claim('run-2', 4242, T0, () => false);
      await clock.advance(1000);
      expect(changes).toBe(2);
      expect(runs.get('run-2')!.executor).toMatchObject({ pid: 4242 });
      off();
      other.append('run-2', {
        at: T0 + 1,
        source: 'runner',
        agent: null,
        attempt: null,
        type: 'x',
        body: {},
      });
      await clock.advance(3000);
      expect(changes).toBe(2);
    } finally {
      store.close();
      other.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("tells the page when an executor dies without letting go, and ends a live run's open spans at now", async () => {
    const clock = new ManualClock(T0 + 500_000);
    const store = openRunStore(':memory:');
    // a run on real servers (the wall clock), its process still executing it
    writeWaitingRun(store, 'run-6', T0, false);
    store.claim('run-6', 4242, T0, () => false);
    let alive = true;
    const runs = storeRunSource(store, clock, { pollMs: 1000, isAlive: () => alive });
    let changes = 0;
    runs.subscribe(() => changes++);
    expect(runs.list()[0]!.executor).toEqual({ pid: 4242, alive: true });
    // its open spans end now, not at its latest event
    expect(runs.get('run-6')!.spanNowMs).toBe(500_000);
    await clock.advance(1000);
    expect(changes).toBe(0);
    alive = false;
    await clock.advance(1000);
    expect(changes).toBe(1);
    expect(runs.get('run-6')!.executor).toEqual({ pid: 4242, alive: false });
    // nobody executes it any more: its spans stop at its latest event
    expect(runs.get('run-6')!.spanNowMs).toBe(200_000);
    store.close();
  });

  it('answers a waiting run as `runs answer` does and resumes it; refuses one that does not wait', async () => {
    const clock = new ManualClock(T0 + 300_000);
    const store = openRunStore(':memory:');
    writeWaitingRun(store, 'run-3', T0);
    const resumed: string[] = [];
    const runs = storeRunSource(store, clock, {
      resume: (id) => {
        resumed.push(id);
        return { pid: 777, logFile: `/tmp/${id}.resume.log` };
      },
    });
    let changes = 0;
    runs.subscribe(() => changes++);
    expect(await runs.answer('run-3', 'port 8080')).toEqual({
      resumed: { pid: 777, logFile: '/tmp/run-3.resume.log' },
    });
    expect(resumed).toEqual(['run-3']);
    expect(changes).toBe(1);
    const { view, events } = readRun(store, 'run-3');
    expect(view.status).not.toBe('waiting');
    expect(view.agents.implementer!.answers).toEqual(['port 8080']);
    // the run is emulated: the answer keeps its virtual clock, right after its last event
    expect(events.at(-1)).toMatchObject({ at: T0 + 200_001, event: { type: 'answer', to: 'runner' } });
    await expect(runs.answer('run-3', 'again')).rejects.toThrow(/not waiting for an answer/);
    await expect(runs.answer('nope', 'x')).rejects.toThrow(/no run nope/);
    expect(resumed).toEqual(['run-3']);
  });

  it('refuses an answer while the asking process still holds the run, and records nothing', async () => {
    const store = openRunStore(':memory:');
    writeWaitingRun(store, 'run-4', T0);
    store.claim('run-4', 4242, T0, () => false);
    let alive = true;
    const runs = storeRunSource(store, new ManualClock(T0), { isAlive: () => alive });
    expect(runs.get('run-4')!.executor).toEqual({ pid: 4242, alive: true });
    await expect(runs.answer('run-4', 'port 8080')).rejects.toThrow(/still held by process 4242/);
    expect(readRun(store, 'run-4').view.status).toBe('waiting');
    alive = false;
    // without a resumer the user is told how to go on
    expect(await runs.answer('run-4', 'port 8080')).toEqual({
      note: 'the answer is recorded; resume it with: orchestra runs resume run-4',
    });
  });

  it('keeps the answer when the resume cannot start, and says how to go on', async () => {
    const store = openRunStore(':memory:');
    writeWaitingRun(store, 'run-5', T0);
    const runs = storeRunSource(store, new ManualClock(T0), {
      resume: () => {
        throw new Error('spawn failed');
      },
    });
    const r = await runs.answer('run-5', 'yes');
    expect(r.note).toMatch(/recorded, but the run could not be resumed here \(spawn failed\)/);
    expect(r.note).toContain('orchestra runs resume run-5');
    expect(readRun(store, 'run-5').view.agents.implementer!.answers).toEqual(['yes']);
  });
});
