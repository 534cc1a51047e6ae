import { describe, expect, it } from 'vitest';
import { parseFleetObject } from '../config/load.ts';
import { batchingGain } from './batching-gain.ts';
import { LearnedCosts } from './learned-costs.ts';
import { costsOf, resolveModelCosts, serviceSeconds, swapPenalty } from './model-costs.ts';

const fleet = parseFleetObject(
  {
    servers: [
      { name: 'mini', url: 'http://127.0.0.1:11434', profile: 'm4-32' },
      { name: 'seed', url: 'http://127.0.0.1:11435', profile: 'seed' },
      { name: 'cloud', url: 'https://api.anthropic.com', kind: 'anthropic' },
    ],
    models: [
      { name: 'q32', paramsB: 32, memoryGiB: 18.5, contextTokens: 8192, servers: ['mini', 'seed'] },
      { name: 'q7', paramsB: 7, memoryGiB: 4.4, contextTokens: 8192, servers: ['seed'], loadSeconds: 3 },
      { name: 'sonnet', servers: ['cloud'] },
    ],
  },
  'test.yaml',
);

describe('resolveModelCosts', () => {
  const costs = resolveModelCosts(fleet);

  it('derives decode and prefill from the m4-32 profile (about 4.6 and 45 tok/s for a 32B)', () => {
    const c = costsOf(costs, 'mini', 'q32');
    expect(c.decodeTokensPerSecond).toBeCloseTo(4.59, 1);
    expect(c.prefillTokensPerSecond).toBeCloseTo(45, 5);
  });

  it('reproduces the seed estimate of 0.7 min for loading a 32B', () => {
    expect(costsOf(costs, 'seed', 'q32').loadSeconds).toBeCloseTo(42, 0);
  });

  it('prefers the configured load time and counts the KV cache in memory', () => {
    const c = costsOf(costs, 'seed', 'q7');
    expect(c.loadSeconds).toBe(3);
    expect(c.memoryGiB).toBeCloseTo(4.4 + (8192 * 57344) / 1024 ** 3, 5);
  });

  it('leaves cloud servers out and names both sides of an unknown pair', () => {
    expect(costs.servers.has('cloud')).toBe(false);
    expect(() => costsOf(costs, 'mini', 'q7')).toThrow(/q7.*mini/);
  });

  it('makes batching faster in aggregate but slower per stream', () => {
    const c = costsOf(costs, 'mini', 'q32');
    const one = serviceSeconds(c, 0, 350, 1);
    const eight = serviceSeconds(c, 0, 350, 8);
    expect(eight).toBeGreaterThan(one);
    expect(eight / 8).toBeLessThan(one);
  });

  it('charges a swap for the re-prefill of every cached agent context', () => {
    const victim = costsOf(costs, 'mini', 'q32');
    const p = swapPenalty({ victim, incoming: victim, drainSeconds: 10, cachedContextTokens: [4500, 4500] });
    expect(p.reprefillSeconds).toBeCloseTo(200, 5);
    expect(p.totalSeconds).toBeCloseTo(10 + victim.loadSeconds + 200, 5);
  });
});

describe('batchingGain', () => {
  it('matches the table and interpolates between its points', () => {
    expect(batchingGain(1)).toBe(1);
    expect(batchingGain(8)).toBeCloseTo(3.35);
    expect(batchingGain(32)).toBeCloseTo(11.2);
    expect(batchingGain(3)).toBeGreaterThan(1.22);
    expect(batchingGain(3)).toBeLessThan(1.79);
    expect(batchingGain(64)).toBeCloseTo(11.2);
  });
});

describe('LearnedCosts', () => {
  it('moves the estimate toward observed timings and ignores tiny samples', () => {
    const learned = new LearnedCosts(resolveModelCosts(fleet), { alpha: 0.5 });
    const before = learned.get('mini', 'q32')!.decodeTokensPerSecond;
    learned.observe({ server: 'mini', model: 'q32', outputTokens: 100, decodeMs: 10_000, loadMs: 10 });
    const after = learned.get('mini', 'q32')!;
    expect(after.decodeTokensPerSecond).toBeCloseTo((before + 10) / 2, 5);
    expect(after.loadSeconds).toBe(costsOf(resolveModelCosts(fleet), 'mini', 'q32').loadSeconds);
  });
});
