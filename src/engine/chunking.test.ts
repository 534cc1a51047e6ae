import { describe, expect, it } from 'vitest';
import { chunkText, needsChunking } from './chunking.ts';
import { TokenEstimator } from './token-estimate.ts';

describe('chunking', () => {
  const est = new TokenEstimator();
  const para = (i: number): string => `Paragraph ${i}: ${'lorem ipsum dolor '.repeat(30)}`;
  const text = Array.from({ length: 20 }, (_, i) => para(i)).join('\n\n');

  it('splits only above 70% of the context window', () => {
    const tokens = est.text(text);
    expect(needsChunking(text, Math.ceil(tokens / 0.7) + 10, est)).toBe(false);
    expect(needsChunking(text, Math.floor(tokens / 0.7) - 10, est)).toBe(true);
  });

  it('cuts at paragraph boundaries into chunks under the limit that join back to the text', () => {
    const chunks = chunkText(text, 400, est);
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks) expect(est.text(c)).toBeLessThanOrEqual(400);
    expect(chunks.join('')).toBe(text);
    expect(chunks[1]).toMatch(/^Paragraph \d+:/);
  });

  it('cuts a word longer than a chunk by characters', () => {
    const long = 'x'.repeat(1000);
    const chunks = chunkText(long, 50, est);
    expect(chunks.join('')).toBe(long);
    for (const c of chunks) expect(est.text(c)).toBeLessThanOrEqual(50);
  });
});
