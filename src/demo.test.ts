import { describe, expect, it } from 'vitest';
import { loadFleetFile } from './config/index.ts';
import { defaultDemoAgents, runDemo } from './demo.ts';

const fleet = loadFleetFile(new URL('../examples/mac-mini.yaml', import.meta.url).pathname, { env: {} });

describe('demo (the main job on the emulated fleet)', () => {
  it('runs every agent call through gateway, scheduler and emulator, and repeats exactly per seed', async () => {
    const agents = defaultDemoAgents(fleet, 2);
    expect(agents.map((a) => a.alias)).toContain('claude-3-5-sonnet');
    const a = await runDemo({ fleet, policies: ['gxa'], seed: 7, agents });
    const b = await runDemo({ fleet, policies: ['gxa'], seed: 7, agents });
    const [run] = a.runs;
    expect(run!.calls).toHaveLength(agents.length * 2);
    expect(run!.calls.filter((c) => c.status !== 200)).toEqual([]);
    // every call was answered by the local model its alias maps to first
    for (const c of run!.calls) expect(c.model).toBe(fleet.aliases[c.alias]![0]);
    expect(run!.rows).toHaveLength(agents.length * 2);
    // two 32B models that cannot be resident together are both used: at least one swap
    expect(a.summaries[0]!.loads).toBeGreaterThanOrEqual(2);
    expect(a.summaries[0]!.savedUsd).toBeGreaterThan(0);
    expect(b.summaries).toEqual(a.summaries);
  });
});
