import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlanJson } from '../../planner/index.ts';
import { main } from '../main.ts';

const ex = (f: string): string => new URL(`../../../examples/${f}`, import.meta.url).pathname;

async function run(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['plan', ...argv], { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('orchestra plan', () => {
  it('prints the table, the best plan and its Gantt chart', async () => {
    const r = await run(ex('seed/pipeline-v1.yaml'), '--config', ex('seed/fleet-1-server.yaml'));
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/lower bound 47\.80 min/);
    expect(text).toMatch(/optimum 47\.80 min \(proven by exact search\)/);
    expect(text).toMatch(/^optimal\s+47\.80 min\s+3\s+3\s+1\.80 min\s+1\.000\s+1\.000\s+yes$/m);
    expect(text).toMatch(/^mini \|\[chi/m);
  });

  it('--json prints exactly one JSON document of the documented shape', async () => {
    const r = await run(
      ex('seed/pipeline-v2.yaml'),
      '--config',
      ex('seed/fleet-2-servers.yaml'),
      '--json',
      '--strategy',
      'optimal',
    );
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    const doc = JSON.parse(r.out[0]!) as PlanJson;
    expect(Object.keys(doc)).toEqual(['lowerBoundSeconds', 'optimumSeconds', 'strategies', 'best']);
    expect(doc.optimumSeconds).toBe(26.45 * 60);
    expect(doc.best).toBe('optimal');
    const s = doc.strategies[0]!;
    expect(Object.keys(s)).toEqual([
      'name',
      'makespanSeconds',
      'swaps',
      'loadSeconds',
      'ratioToBound',
      'optimal',
      'schedule',
      'loads',
    ]);
    expect(s.schedule).toHaveLength(15);
    expect(Object.keys(s.schedule[0]!)).toEqual(['agent', 'server', 'model', 'startSeconds', 'endSeconds']);
    expect(Object.keys(s.loads[0]!)).toEqual(['server', 'model', 'startSeconds', 'endSeconds']);
  });

  it('--html writes a self-contained page with an SVG Gantt per plan', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'plan-')), 'plan.html');
    const r = await run(
      ex('seed/pipeline-v1.yaml'),
      '--config',
      ex('seed/fleet-2-servers.yaml'),
      '--strategy',
      'best',
      '--html',
      file,
    );
    expect(r.code).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.match(/<svg /g)).toHaveLength(1);
    expect(html).toMatch(/stroke="#d62728"/);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org)/);
  });

  it('what-if: a second server or more memory shortens the one-server plan', async () => {
    const minutes = async (...extra: string[]) => {
      const r = await run(
        ex('seed/pipeline-v1.yaml'),
        '--config',
        ex('seed/fleet-1-server.yaml'),
        '--json',
        '--strategy',
        'optimal',
        ...extra,
      );
      return (JSON.parse(r.out[0]!) as { optimumSeconds: number }).optimumSeconds / 60;
    };
    expect(await minutes('--servers', '+1')).toBeCloseTo(24.65, 9);
    expect(await minutes('--memory', '48')).toBeLessThan(47.8);
  });

  it('exits 2 with a clear message for usage and pipeline errors', async () => {
    expect((await run(ex('seed/pipeline-v1.yaml'))).err.join('\n')).toMatch(/expected --config FLEET/);
    expect(
      (
        await run(
          ex('seed/pipeline-v1.yaml'),
          '--config',
          ex('seed/fleet-1-server.yaml'),
          '--strategy',
          'fastest',
        )
      ).code,
    ).toBe(2);
    expect(
      (await run(ex('seed/pipeline-v1.yaml'), '--config', ex('seed/fleet-1-server.yaml'), '--servers', '2'))
        .code,
    ).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'plan-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'agents:\n  - { id: a, model: qwen-slow, work: 1m }\n');
    const r = await run(bad, '--config', ex('seed/fleet-1-server.yaml'));
    expect(r.code).toBe(2);
    expect(r.err.join('\n')).toMatch(/agent a: unknown model "qwen-slow"/);
    const missing = await run(join(dir, 'none.yaml'), '--config', ex('seed/fleet-1-server.yaml'));
    expect([missing.code, missing.err.join('')]).toEqual([
      2,
      expect.stringMatching(/cannot read the pipeline: file not found/),
    ]);
  });
});
