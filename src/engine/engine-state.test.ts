import { describe, expect, it } from 'vitest';
import { advance, addOnce, initialState, statsIfAny, statsOf, statsRecord } from './engine-state.ts';
import type { SpecialistSpec } from './engine-types.ts';

const spec = (name: string): SpecialistSpec => ({
  name,
  alias: `${name}-model`,
  role: 'writes code',
  contextWindow: 4096,
  temperature: 0.2,
  tools: [],
});

describe('engine state', () => {
  it('is plain JSON: a round trip through JSON gives the same state', () => {
    const s = initialState(['design', 'build'], [spec('coder'), spec('tester')]);
    statsOf(s, 'coder').calls++;
    addOnce(s.filesChanged, 'src/a.ts');
    addOnce(s.unhealthy, 'tester');
    advance(s, 'approved coder fix a');
    s.answers.push({ question: 'which port?', answer: '8080' });
    const copy: unknown = JSON.parse(JSON.stringify(s));
    expect(copy).toEqual(s);
  });

  it('counts the same progress once', () => {
    const s = initialState(['work'], [spec('coder')]);
    advance(s, 'approved coder fix a');
    advance(s, 'approved coder fix a');
    advance(s, 'approved coder fix b');
    expect(s.progress).toBe(2);
    expect(s.progressMade).toEqual(['approved coder fix a', 'approved coder fix b']);
  });

  it('keeps a specialist named like an Object property a plain record key', () => {
    const s = initialState(['work'], []);
    expect(statsIfAny(s, 'toString')).toBeUndefined();
    statsOf(s, '__proto__').calls++;
    statsOf(s, 'constructor').successes++;
    expect(Object.getPrototypeOf(s.stats)).toBe(Object.prototype);
    expect(statsRecord(s)).toEqual(
      JSON.parse('{"__proto__":{"calls":1,"successes":0},"constructor":{"calls":0,"successes":1}}'),
    );
  });
});
