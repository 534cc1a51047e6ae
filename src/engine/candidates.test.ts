import { describe, expect, it } from 'vitest';
import { bestCandidate, candidates } from './candidates.ts';
import { addOnce, initialState, statsOf } from './engine-state.ts';
import type { SpecialistSpec } from './engine-types.ts';

const spec = (name: string, extra: Partial<SpecialistSpec> = {}): SpecialistSpec => ({
  name,
  alias: `${name}-model`,
  role: name,
  contextWindow: 8192,
  temperature: 0.2,
  tools: [],
  ...extra,
});

const coder = spec('coder', { phases: ['build'], maxComplexity: 6 });
const architect = spec('architect', { phases: ['design', 'build'], minComplexity: 5 });
const tester = spec('tester', { phases: ['test'] });
const all = [coder, architect, tester];
const names = (l: readonly SpecialistSpec[]): string[] => l.map((s) => s.name);

describe('candidates (the pre-filter before the arbiter)', () => {
  it('keeps the specialists of the phase sized for the complexity', () => {
    const s = initialState(['design', 'build', 'test'], all);
    s.phase = 'build';
    expect(names(candidates(all, s, 3))).toEqual(['coder']);
    expect(names(candidates(all, s, 5))).toEqual(['coder', 'architect']);
    expect(names(candidates(all, s, 8))).toEqual(['architect']);
    s.phase = 'test';
    expect(names(candidates(all, s, 8))).toEqual(['tester']);
  });

  it('leaves out a specialist whose model was down at its last call', () => {
    const s = initialState(['build'], all);
    addOnce(s.unhealthy, 'coder');
    expect(names(candidates(all, s, 5))).toEqual(['architect']);
  });

  it('relaxes complexity first, then health, never the phase', () => {
    const s = initialState(['design', 'build', 'test'], all);
    // design at complexity 3: the architect is too big, but it is the only one of the phase
    expect(names(candidates(all, s, 3))).toEqual(['architect']);
    s.phase = 'build';
    addOnce(s.unhealthy, 'architect');
    // at 8 only the architect is sized, but it is down: the healthy coder is offered instead
    expect(names(candidates(all, s, 8))).toEqual(['coder']);
    addOnce(s.unhealthy, 'coder');
    // everyone of the phase down: offered anyway (the loop then fails with backend_down)
    expect(names(candidates(all, s, 8))).toEqual(['coder', 'architect']);
    // a phase nobody serves stays empty
    s.phase = 'deploy';
    expect(candidates(all, s, 5)).toEqual([]);
  });

  it('prefers the better record, an untried specialist over a failing one', () => {
    const s = initialState(['build'], all);
    statsOf(s, 'coder').calls = 2; // 0 of 2 approved
    statsOf(s, 'architect').calls = 2;
    statsOf(s, 'architect').successes = 2;
    expect(bestCandidate(all, s)?.name).toBe('architect');
    expect(bestCandidate(all, s, 'architect')?.name).toBe('tester');
    expect(bestCandidate([coder], s, 'coder')).toBeUndefined();
  });
});
