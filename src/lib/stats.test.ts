import { describe, expect, it } from 'vitest';
import { median, percentile } from './stats.ts';

describe('stats', () => {
  it('takes nearest-rank percentiles of sorted values', () => {
    const s = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect(percentile(s, 50)).toBe(5);
    expect(percentile(s, 95)).toBe(10);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile([], 99)).toBe(0);
  });

  it('takes medians of odd and even counts without reordering the input', () => {
    const xs = [9, 1, 5];
    expect(median(xs)).toBe(5);
    expect(xs).toEqual([9, 1, 5]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});
