// Issue 17's durability acceptance: `orchestra run` as a real child process, killed with SIGKILL
// right after event N for 20 random N (two runs killed ten times each, resumed after every kill
// with `orchestra runs resume`): the final workspace, the agents' results, the model usage and the
// decisions equal an uninterrupted run's, and no tool effect is logged (applied) twice. The child freezes after committing event N (ORCHESTRA_RUN_PAUSE_AT_SEQ), so each
// kill lands exactly there; the pipeline is two agents of the main job (the architect, whose note
// flows on, and an implementer whose acceptance check fails and heals) on the emulated Mac mini.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify, parse } from 'yaml';
import { openRunStore, type StoredEvent } from '../../src/store/run-store.ts';
import { startCli } from './cli-process.ts';

const EX = new URL('../../examples/', import.meta.url).pathname;
const FLEET = join(EX, 'mac-mini.yaml');

function smallPipeline(dir: string): string {
  const full = parse(readFileSync(join(EX, 'main-job/pipeline.yaml'), 'utf8')) as {
    agents: { id: string }[];
    workspace: { template: string };
  };
  const keep = new Set(['architect', 'impl-muldiv']);
  const doc = {
    ...full,
    name: 'calc-kill',
    workspace: { template: join(EX, 'main-job', full.workspace.template) },
    agents: full.agents.filter((a) => keep.has(a.id)),
  };
  const file = join(dir, 'pipeline.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

function files(root: string, dir = root): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) Object.assign(out, files(root, p));
    else out[relative(root, p)] = readFileSync(p, 'utf8');
  }
  return out;
}

interface Outcome {
  files: Record<string, string>;
  results: unknown[];
  usage: Record<string, { calls: number; tokensOut: number; effects: number }>;
  decisions: Record<string, string[]>;
  twice: string[];
}

function outcomeOf(events: StoredEvent[], workspace: string): Outcome {
  const usage: Outcome['usage'] = {};
  const decisions: Outcome['decisions'] = {};
  const keys = new Map<string, number>();
  for (const e of events) {
    if (e.source !== 'engine' || !e.agent) continue;
    const u = (usage[e.agent] ??= { calls: 0, tokensOut: 0, effects: 0 });
    if (e.type === 'model_call') {
      u.calls++;
      u.tokensOut += Number(e.body.tokensOut);
    }
    if (e.type === 'tool_effect') {
      u.effects++;
      const key = String(e.body.key);
      keys.set(key, (keys.get(key) ?? 0) + 1);
    }
    if (e.type === 'decision')
      (decisions[e.agent] ??= []).push(String((e.body.decision as { action: string }).action));
  }
  return {
    files: files(workspace),
    results: events
      .filter((e) => e.type === 'agent_done')
      .map((e) => e.body)
      .sort((a, b) => String(a.agent).localeCompare(String(b.agent))),
    usage,
    decisions,
    twice: [...keys].filter(([, n]) => n > 1).map(([k]) => k),
  };
}

/** seeded, so a failure names kill points that reproduce */
function killPoints(total: number, n: number, seed: number): number[] {
  let s = seed;
  const next = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31);
  const points = new Set<number>();
  while (points.size < Math.min(n, total - 3)) points.add(3 + Math.floor(next() * (total - 3)));
  return [...points].sort((a, b) => a - b);
}

async function exitOf(p: ReturnType<typeof startCli>): Promise<number | null> {
  if (p.proc.exitCode !== null) return p.proc.exitCode;
  return new Promise((r) => p.proc.once('exit', (code) => r(code)));
}

describe('orchestra run: kill -9 at 20 points, resume', () => {
  it('finishes every killed run exactly like an uninterrupted one', { timeout: 900_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'run-kill-'));
    const pipeline = smallPipeline(dir);
    const store = join(dir, 'runs.sqlite');
    const run = (ws: string, env: Record<string, string> = {}) =>
      startCli(['run', pipeline, '--config', FLEET, '--emulate', '--store', store, '--workspace', ws], env);
    const runIdOf = (text: string): string => /run (run-\S+) started/.exec(text)![1]!;

    const refWs = join(dir, 'ref');
    const ref = run(refWs);
    expect(await exitOf(ref)).toBe(0);
    const refId = runIdOf(ref.output());
    const db = openRunStore(store);
    const refEvents = db.events(refId);
    const expected = outcomeOf(refEvents, refWs);
    expect(expected.twice).toEqual([]);
    expect(expected.files['src/muldiv.js']).toContain('division by zero');

    const points = killPoints(refEvents.length, 20, 17);
    expect(points).toHaveLength(20);
    // two chains of ten kills each, run side by side: each chain kills one run at its points in
    // order (run, then resume after each kill), then lets it finish
    const chain = async (name: string, kills: number[]): Promise<void> => {
      const ws = join(dir, name);
      mkdirSync(ws);
      let id = '';
      for (const n of kills) {
        const env = { ORCHESTRA_RUN_PAUSE_AT_SEQ: String(n) };
        const child = id ? startCli(['runs', 'resume', id, '--store', store], env) : run(ws, env);
        await child.waitFor(new RegExp(`paused after event ${n}$`), 120_000);
        await child.kill('SIGKILL');
        id ||= runIdOf(child.output());
      }
      const resumed = startCli(['runs', 'resume', id, '--store', store]);
      const code = await exitOf(resumed);
      expect({ name, code, tail: code === 0 ? '' : resumed.output().slice(-2000) }).toEqual({
        name,
        code: 0,
        tail: '',
      });
      const got = outcomeOf(db.events(id), ws);
      expect({ name, ...got }).toEqual({ name, ...expected });
      // every kill point was reached: the run was really interrupted there
      expect(db.events(id).length).toBeGreaterThanOrEqual(kills.at(-1)!);
    };
    await Promise.all([
      chain(
        'chain-a',
        points.filter((_, i) => i % 2 === 0),
      ),
      chain(
        'chain-b',
        points.filter((_, i) => i % 2 === 1),
      ),
    ]);
    db.close();
  });
});
