// The executor with a scripted engine (the real one is tested in src/engine/): ordering, heals,
// asking the user, and resuming an interrupted run from its log with nothing done twice.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseFleetText } from '../config/index.ts';
import type { AgentOutcome, EngineEvent, FailureKind, RunAgent } from '../engine/engine-types.ts';
import { ManualClock } from '../lib/clock.ts';
import { sequentialIds } from '../lib/ids.ts';
import { openRunStore, type RunStore } from '../store/run-store.ts';
import { executeRun } from './run-executor.ts';
import { RunLog } from './run-log.ts';
import { parseRunPipelineText } from './run-pipeline.ts';
import type { StrategyName } from '../planner/index.ts';
import { planRun, replanOrder } from './run-plan.ts';
import { prepareWorkspace } from './run-workspace.ts';
import { IoTracker, runVirtualWithIo } from './virtual-run.ts';

const FLEET = parseFleetText(
  `servers: [{ name: mac, url: "http://127.0.0.1:11434", memoryGiB: 30 }]
models:
  - { name: big, paramsB: 32, memoryGiB: 18.5, servers: [mac] }
  - { name: small, paramsB: 7, memoryGiB: 4.4, servers: [mac] }
  - { name: big2, paramsB: 32, memoryGiB: 18.5, servers: [mac] }`,
  'fleet.yaml',
  { env: {} },
);

const PIPELINE = `name: t
agents:
  - { id: architect, model: big, work: 2m, tools: [write_file] }
  - { id: impl-a, model: small, work: 3m, after: [architect], tools: [write_file], accept: { command: "test -f a.txt" } }
  - { id: impl-b, model: small, work: 3m, after: [architect], specialists: [small, big], tools: [write_file], accept: { command: "grep -q fixed b.txt" } }
  - { id: tester, model: big, work: 2m, after: [impl-a, impl-b], tools: [write_file], accept: { command: "test -f b.txt" } }`;

interface Behaviour {
  files: (instructions: string) => Record<string, string>;
  /** fail this way unless the instructions contain `unless` */
  fail?: { kind: FailureKind; unless: string };
}

/** writes files as tool effects (once per idempotency key), runs the check, fails as scripted */
function scriptedEngine(behaviour: Record<string, Behaviour>, applied: Map<string, number>): RunAgent {
  return async (spec, o) => {
    const prior = o.log.events();
    const done = prior.find((e) => e.type === 'agent_finished');
    if (done?.type === 'agent_finished') return done.outcome;
    const b = behaviour[spec.agentId]!;
    const append = async (e: Record<string, unknown> & { type: EngineEvent['type'] }) =>
      o.log.append({ ...e, at: o.clock.now(), step: 0 } as EngineEvent);
    const finish = async (outcome: AgentOutcome) => (
      await append({ type: 'agent_finished', outcome }),
      outcome
    );
    const files = b.files(spec.instructions);
    let i = 0;
    for (const [path, text] of Object.entries(files)) {
      const key = `${spec.runId}/${spec.agentId}/${i++}`;
      await o.clock.sleep(1000, o.signal); // the model thinking
      if (prior.some((e) => e.type === 'tool_effect' && e.key === key)) continue;
      await append({ type: 'tool_effect_started', key, tool: 'write_file', input: { path } });
      writeFileSync(join(workspaceOf(o.tools), path), text);
      applied.set(key, (applied.get(key) ?? 0) + 1);
      await append({
        type: 'tool_effect',
        key,
        tool: 'write_file',
        result: { ok: true, output: 'ok', filesChanged: [path] },
      });
    }
    if (b.fail && !spec.instructions.includes(b.fail.unless))
      return finish({
        status: 'failed',
        failure: b.fail.kind,
        message: `${b.fail.kind} in ${spec.agentId}`,
        filesChanged: [],
      });
    if (spec.acceptance?.kind === 'command') {
      const r = await o.checks!(spec.acceptance);
      await append({ type: 'check', passed: r.passed, output: r.output });
      if (!r.passed)
        return finish({
          status: 'failed',
          failure: 'failed_check',
          message: r.output,
          filesChanged: Object.keys(files),
        });
    }
    return finish({ status: 'succeeded', result: `${spec.agentId} done`, filesChanged: Object.keys(files) });
  };
}

// the scripted engine finds the workspace through a fake tool that carries it
const workspaceOf = (tools: readonly { name: string; description: string }[]): string =>
  tools.find((t) => t.name === 'workspace')!.description;

const BEHAVIOUR: Record<string, Behaviour> = {
  architect: { files: () => ({ 'design.md': 'two modules' }) },
  'impl-a': { files: () => ({ 'a.txt': 'a' }) },
  'impl-b': { files: (ins) => ({ 'b.txt': ins.includes('acceptance check failed') ? 'fixed' : 'buggy' }) },
  tester: { files: () => ({ 'report.txt': 'ok' }) },
};

function setup(store: RunStore, runId: string, pipelineText = PIPELINE, strategy?: StrategyName) {
  const pipeline = parseRunPipelineText(pipelineText, 'p.yaml');
  const dir = mkdtempSync(join(tmpdir(), 'run-exec-'));
  const ws = prepareWorkspace(join(dir, 'ws'), join(dir, 'ckpt'));
  writeFileSync(join(dir, 'ws', '.keep'), '');
  const { plan } = planRun(pipeline.planned, FLEET, 'p.yaml', strategy);
  const log0 = new RunLog({ store, runId, clock: new ManualClock(1000) });
  log0.append({
    type: 'run_started',
    name: 't',
    inputs: {
      pipelineFile: 'p.yaml',
      pipelineText,
      fleetFile: 'f',
      fleetText: '',
      workspace: ws.dir,
      strategy: 'best',
      emulated: false,
    },
    plan,
  });
  log0.append({ type: 'checkpoint', agent: '(start)', id: 'initial', path: ws.checkpoint('initial') });
  return { pipeline, ws };
}

async function execute(
  store: RunStore,
  runId: string,
  s: ReturnType<typeof setup>,
  engine: RunAgent,
  o: { stopAtSeq?: number } = {},
) {
  const clock = new ManualClock((store.events(runId).at(-1)?.at ?? 0) + 1);
  const abort = new AbortController();
  const log = new RunLog({
    store,
    runId,
    clock,
    onEvent: (e) => {
      if (e.seq === o.stopAtSeq) abort.abort(new Error('killed'));
    },
  });
  const io = new IoTracker();
  return runVirtualWithIo(
    clock,
    io,
    executeRun({
      log,
      pipeline: s.pipeline,
      fleet: FLEET,
      runAgent: engine,
      models: { baseURL: 'http://unused/v1' },
      toolsFor: (_a, ws) => [{ name: 'workspace', description: ws.dir } as never],
      workspace: s.ws,
      clock,
      ids: sequentialIds(),
      signal: abort.signal,
      replan: (remaining) => replanOrder(s.pipeline.planned, FLEET, remaining),
      io,
    }),
  );
}

describe('run executor', () => {
  it('puts an agent on the model the chosen strategy planned, its own as fallback', async () => {
    const store = openRunStore(':memory:');
    // the tester's big2 is a peer of the main model big: single-model runs it on big
    const pipeline = PIPELINE.replace('{ id: tester, model: big,', '{ id: tester, model: big2,').replace(
      '{ id: architect, model: big, work: 2m',
      '{ id: architect, model: big, work: 8m',
    );
    const s = setup(store, 'r-single', pipeline, 'single-model');
    const planned = new Map(
      store
        .events('r-single')
        .filter((e) => e.type === 'run_started')
        .flatMap((e) => (e.body as { plan: { slots: { agent: string; model: string }[] } }).plan.slots)
        .map((sl) => [sl.agent, sl.model]),
    );
    expect(planned.get('tester')).toBe('big');
    await execute(store, 'r-single', s, scriptedEngine(BEHAVIOUR, new Map()));
    const first = new Map(
      store
        .events('r-single')
        .filter((e) => e.type === 'attempt_started' && (e.body as { attempt: number }).attempt === 1)
        .map((e) => [e.agent, (e.body as { specialists: string[] }).specialists]),
    );
    expect(first.get('tester')).toEqual(['big', 'big2']);
    expect(first.get('architect')).toEqual(['big']);
    expect(first.get('impl-a')).toEqual(['small']);
    // the file named impl-b's specialists: they are kept as written
    expect(first.get('impl-b')).toEqual(['small', 'big']);
  });

  it('runs the DAG, heals a failed check with its output, and checkpoints passed checks', async () => {
    const store = openRunStore(':memory:');
    const s = setup(store, 'r1');
    const applied = new Map<string, number>();
    const view = await execute(store, 'r1', s, scriptedEngine(BEHAVIOUR, applied));
    expect(view.status).toBe('succeeded');
    const starts = store
      .events('r1')
      .filter((e) => e.type === 'attempt_started')
      .map((e) => e.agent);
    expect(starts[0]).toBe('architect');
    expect(starts.at(-1)).toBe('tester');
    expect(view.heals.map((h) => [h.agent, h.failure, h.action])).toEqual([
      ['impl-b', 'failed_check', 'retry_changed_prompt'],
    ]);
    expect(view.agents['impl-b']!.attempt).toBe(2);
    expect(view.checkpoints.map((c) => c.id)).toEqual(expect.arrayContaining(['initial', 'impl-a-a1-c1']));
    expect([...applied.values()].every((n) => n === 1)).toBe(true);
  });

  it('asks the user when heals run out, and goes on with the answer', async () => {
    const store = openRunStore(':memory:');
    const s = setup(store, 'r2', `agents:\n  - { id: solo, model: big, work: 1m, tools: [write_file] }`);
    const engine = scriptedEngine(
      { solo: { files: () => ({ 'x.txt': 'x' }), fail: { kind: 'stall', unless: 'The user answered' } } },
      new Map(),
    );
    const waiting = await execute(store, 'r2', s, engine);
    expect(waiting.status).toBe('waiting');
    expect(waiting.question?.agent).toBe('solo');
    const actions = waiting.heals.map((h) => h.action);
    expect(actions).toContain('rollback');
    expect(actions.at(-1)).toBe('ask_user');
    store.append('r2', {
      at: 1e9,
      source: 'runner',
      agent: 'solo',
      attempt: null,
      type: 'answer',
      body: { type: 'answer', agent: 'solo', text: 'use small steps', to: 'runner' },
    });
    const done = await execute(store, 'r2', s, engine);
    expect(done.status).toBe('succeeded');
  });

  it('resumes a run stopped after any event with the same result, no effect applied twice', async () => {
    const reference = openRunStore(':memory:');
    const ref = setup(reference, 'ref');
    await execute(reference, 'ref', ref, scriptedEngine(BEHAVIOUR, new Map()));
    const total = reference.events('ref').length;
    for (const stopAt of [3, 6, 9, 14, total - 3]) {
      const store = openRunStore(':memory:');
      const s = setup(store, 'r');
      const applied = new Map<string, number>();
      const engine = scriptedEngine(BEHAVIOUR, applied);
      const first = await execute(store, 'r', s, engine, { stopAtSeq: stopAt });
      expect(first.status).not.toBe('succeeded');
      const view = await execute(store, 'r', s, engine);
      expect(view.status).toBe('succeeded');
      expect([...applied.values()].every((n) => n === 1)).toBe(true);
      expect(readFileSync(join(s.ws.dir, 'b.txt'), 'utf8')).toBe('fixed');
      const kinds = (st: RunStore, id: string) =>
        st
          .events(id)
          .filter((e) => e.type === 'tool_effect')
          .map((e) => String(e.body.key).replace(/^[^.]*/, ''))
          .sort();
      expect(kinds(store, 'r')).toEqual(kinds(reference, 'ref'));
    }
  });
});
