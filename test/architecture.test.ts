// Enforces DESIGN.md's dependency direction between the folders of src/ and the absence of cycles.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

const SERVICE_FLOORS = [
  'core',
  'config',
  'protocol',
  'translate',
  'cost',
  'repair',
  'scheduler',
  'backends',
  'store',
  'lib',
];

// Which folders each folder may import from (besides itself). lib/ is the floor: tiny helpers.
const ALLOWED: Record<string, string[]> = {
  lib: [],
  core: ['lib'],
  config: ['core', 'lib'],
  protocol: ['core', 'lib'],
  translate: ['core', 'protocol', 'lib'],
  cost: ['core', 'config', 'lib'],
  // the tool-call repair ladder: pure; rungs 5-6 take an injected model call
  repair: ['core', 'lib'],
  scheduler: ['core', 'config', 'cost', 'lib'],
  planner: ['core', 'config', 'cost', 'scheduler', 'lib'],
  backends: ['core', 'config', 'protocol', 'translate', 'cost', 'lib'],
  store: ['core', 'config', 'lib'],
  emulator: ['core', 'config', 'protocol', 'translate', 'cost', 'scheduler', 'lib'],
  // the gateway and the engine stand on the same floors (the engine talks to models through the
  // gateway's app, which the runner composes)
  gateway: SERVICE_FLOORS,
  engine: SERVICE_FLOORS,
  runner: [
    'core',
    'config',
    'cost',
    'repair',
    'scheduler',
    'planner',
    'backends',
    'store',
    'engine',
    'gateway',
    'emulator',
    'lib',
  ],
  // the web dashboard: served by the gateway, reads the scheduler's and runner's state
  dashboard: ['core', 'config', 'scheduler', 'store', 'gateway', 'runner', 'lib'],
  cli: ['*'],
  'app.ts': ['*'],
  // the demo is a second composition root: the whole system in process on the emulated fleet
  'demo.ts': ['*'],
};

// Pure cores: no node:*, no hono, no sockets.
const PURE = ['core', 'cost', 'planner', 'translate', 'repair', 'scheduler/policies', 'scheduler/policy'];

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)) out.push(m[1]!);
  for (const m of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

const folderOf = (file: string): string => relative(SRC, file).split('/')[0]!;
const all = files(SRC);

describe('architecture', () => {
  it('finds the sources', () => {
    expect(all.length).toBeGreaterThan(5);
  });

  it('imports only in the direction of DESIGN.md', () => {
    const bad: string[] = [];
    for (const file of all) {
      const from = folderOf(file);
      const allowed = ALLOWED[from];
      if (!allowed) {
        bad.push(`${relative(SRC, file)}: folder ${from} is not in the architecture map`);
        continue;
      }
      for (const spec of imports(file)) {
        if (!spec.startsWith('.')) continue;
        const to = folderOf(resolve(dirname(file), spec));
        if (to === from || allowed.includes('*') || allowed.includes(to)) continue;
        bad.push(`${relative(SRC, file)} imports ${spec} (${from} may not depend on ${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('keeps the pure cores free of node:*, hono and sockets', () => {
    const bad: string[] = [];
    for (const file of all) {
      const rel = relative(SRC, file);
      if (!PURE.some((p) => rel.startsWith(p))) continue;
      for (const spec of imports(file))
        if (spec.startsWith('node:') || spec.startsWith('hono') || spec.startsWith('@hono/'))
          bad.push(`${rel} imports ${spec}`);
    }
    expect(bad).toEqual([]);
  });

  it('has no import cycles between files', () => {
    const graph = new Map<string, string[]>();
    for (const file of all)
      graph.set(
        file,
        imports(file)
          .filter((s) => s.startsWith('.'))
          .map((s) => resolve(dirname(file), s)),
      );
    const state = new Map<string, 'visiting' | 'done'>();
    const cycles: string[] = [];
    const visit = (f: string, stack: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'visiting') {
        cycles.push([...stack.slice(stack.indexOf(f)), f].map((x) => relative(SRC, x)).join(' -> '));
        return;
      }
      state.set(f, 'visiting');
      for (const g of graph.get(f) ?? []) visit(g, [...stack, f]);
      state.set(f, 'done');
    };
    for (const f of graph.keys()) visit(f, []);
    expect(cycles).toEqual([]);
  });
});
