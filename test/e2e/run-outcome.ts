// Shared by the durability tests of `orchestra run` (kill -9, Ctrl-C): a two-agent slice of the
// main job, and what a finished run produced (workspace files, results, usage, decisions, and the
// tool effects logged more than once), to compare an interrupted run with an uninterrupted one.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { stringify, parse } from 'yaml';
import type { StoredEvent } from '../../src/store/run-store.ts';
import type { CliProcess } from './cli-process.ts';

export const EX = new URL('../../examples/', import.meta.url).pathname;
export const FLEET = join(EX, 'mac-mini.yaml');

export function smallPipeline(dir: string): string {
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

export interface Outcome {
  files: Record<string, string>;
  results: unknown[];
  usage: Record<string, { calls: number; tokensOut: number; effects: number }>;
  decisions: Record<string, string[]>;
  twice: string[];
}

export function outcomeOf(events: StoredEvent[], workspace: string): Outcome {
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

export async function exitOf(p: CliProcess): Promise<number | null> {
  if (p.proc.exitCode !== null) return p.proc.exitCode;
  return new Promise((r) => p.proc.once('exit', (code) => r(code)));
}

/** the run id a started run prints */
export function runIdOf(text: string): string {
  const m = /run (run-\S+) started/.exec(text);
  if (!m) throw new Error(`no "run ID started" line in:\n${text}`);
  return m[1]!;
}
