import { describe, expect, it } from 'vitest';
import { commonPrefixTokens, pickSlot } from './prompt-cache.ts';

const p = (key: string, tokens = 10) => ({ key, tokens });

describe('prompt cache', () => {
  it('counts whole matching parts from the start', () => {
    expect(commonPrefixTokens([p('a'), p('b'), p('c')], [p('a'), p('b'), p('x'), p('c')])).toBe(20);
    expect(commonPrefixTokens([p('b')], [p('a')])).toBe(0);
    expect(commonPrefixTokens([], [p('a')])).toBe(0);
  });

  it('picks the free slot with the longest common prefix, lowest index on ties', () => {
    const caches = [[p('a')], [p('a'), p('b')], [p('a'), p('b')]];
    expect(pickSlot(caches, [0, 1, 2], [p('a'), p('b'), p('c')])).toEqual({ slot: 1, cachedTokens: 20 });
    expect(pickSlot(caches, [0, 2], [p('a'), p('b')])).toEqual({ slot: 2, cachedTokens: 20 });
    expect(pickSlot(caches, [0, 1], [p('z')])).toEqual({ slot: 0, cachedTokens: 0 });
  });
});
