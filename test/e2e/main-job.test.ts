// The README's first command from a fresh clone: `npm start` runs the main job (orchestra run on
// examples/main-job, emulated Mac mini) to success, prints where the workspace and the report are,
// and the project the agents built passes its own tests. The clone shares this checkout's
// node_modules instead of running `npm ci` (no network here); everything else is the clone's.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

describe('the main job (npm start)', () => {
  it('builds a small project that passes its tests, from a fresh clone', { timeout: 180_000 }, () => {
    const dir = mkdtempSync(join(tmpdir(), 'main-job-'));
    const clone = join(dir, 'orchestra');
    execFileSync('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone]);
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    const r = spawnSync('npm', ['start'], { cwd: clone, encoding: 'utf8', env: { ...process.env, CI: '1' } });
    const out = `${r.stdout}\n${r.stderr}`;
    expect({ status: r.status, tail: r.status === 0 ? '' : out.slice(-3000) }).toEqual({
      status: 0,
      tail: '',
    });
    expect(out).toMatch(/run run-\S+ \(calc\): succeeded/);
    expect(out).toMatch(/tool-call success rate \d/);
    expect(out).toMatch(/failed_check/);
    // the broken calls the script writes (a Python call, a trailing comma) are repaired and counted
    const afterRepair = Number(/(\d+) after repair/.exec(out)![1]);
    expect(afterRepair).toBeGreaterThan(0);
    // per-agent repairs and heals add up to the run's totals (engine and runner heals alike)
    const agents = [...out.matchAll(/^ {2}\S+ +\w+ +attempts \d+ .* repairs (\d+) {2}heals (\d+)$/gm)];
    expect(agents.length).toBe(5);
    const rungs = /^tool-call replies by repair rung: (.+)$/m.exec(out)![1]!;
    const repairedReplies = [...rungs.matchAll(/rung (\d) \w+: (\d+)/g)]
      .filter((m) => m[1] !== '1')
      .reduce((n, m) => n + Number(m[2]), 0);
    expect(agents.reduce((n, m) => n + Number(m[1]), 0)).toBe(repairedReplies);
    const heals = [.../^heals: (.+)$/m.exec(out)![1]!.matchAll(/ (\d+)(?:,|$)/g)];
    const healTotal = heals.reduce((n, m) => n + Number(m[1]), 0);
    expect(healTotal).toBeGreaterThan(0);
    expect(agents.reduce((n, m) => n + Number(m[2]), 0)).toBe(healTotal);
    const workspace = /^workspace: (.+)$/m.exec(out)![1]!;
    const report = /^report: (.+)$/m.exec(out)![1]!;
    expect(existsSync(report)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<td>impl-muldiv</td><td>1</td><td>failed_check</td><td>engine</td>');
    const tests = spawnSync(process.execPath, ['--test'], { cwd: workspace, encoding: 'utf8' });
    expect({ status: tests.status, out: tests.status === 0 ? '' : tests.stdout }).toEqual({
      status: 0,
      out: '',
    });
  });
});
