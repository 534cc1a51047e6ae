import { describe, expect, it } from 'vitest';
import type { FormRates, ToolCallForm } from '../../config/emulator-schema.ts';
import { drawForm } from './form-rates.ts';
import type { ResponderInput } from './responder.ts';

const ask = (i: number): ResponderInput => ({
  model: 'qwen-fast',
  messages: [{ role: 'user', content: `task ${i}` }],
  tools: ['write_file'],
});

function shares(draw: (i: number) => ToolCallForm, n: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 0; i < n; i++) {
    const f = draw(i);
    counts[f] = (counts[f] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v / n]));
}

describe('tool-call form rates', () => {
  const rates: FormRates = { native: 0.5, tags: 0.3, python: 0.2 };
  const N = 4000;
  // 4 standard deviations of a share p over N draws: sqrt(p(1-p)/N) <= 0.0079 at N = 4000
  const TOL = 0.032;

  it('comes out at each rate over many requests, for a fixed seed', () => {
    const got = shares((i) => drawForm(rates, 7, ask(i)), N);
    for (const [form, rate] of Object.entries(rates))
      expect(Math.abs((got[form] ?? 0) - rate), form).toBeLessThan(TOL);
    expect(Object.keys(got).sort()).toEqual(['native', 'python', 'tags']);
  });

  it('comes out at each rate over many seeds, for one request', () => {
    const got = shares((seed) => drawForm(rates, seed, ask(0)), N);
    for (const [form, rate] of Object.entries(rates))
      expect(Math.abs((got[form] ?? 0) - rate), form).toBeLessThan(TOL);
  });

  it('leaves the share the rates do not cover to the fallback form', () => {
    const got = shares((i) => drawForm({ 'missing-brace': 0.1, narrated: 0.15 }, 3, ask(i), 'tags'), N);
    expect(Math.abs((got['missing-brace'] ?? 0) - 0.1)).toBeLessThan(TOL);
    expect(Math.abs((got.narrated ?? 0) - 0.15)).toBeLessThan(TOL);
    expect(Math.abs((got.tags ?? 0) - 0.75)).toBeLessThan(TOL);
    expect(drawForm(undefined, 3, ask(1), 'fenced')).toBe('fenced');
  });

  it('is deterministic per seed and request, and differs across seeds', () => {
    const a = Array.from({ length: 200 }, (_, i) => drawForm(rates, 1, ask(i)));
    expect(Array.from({ length: 200 }, (_, i) => drawForm(rates, 1, ask(i)))).toEqual(a);
    const b = Array.from({ length: 200 }, (_, i) => drawForm(rates, 2, ask(i)));
    expect(b).not.toEqual(a);
    // a different model asked the same thing draws independently
    const other = Array.from({ length: 200 }, (_, i) =>
      drawForm(rates, 1, { ...ask(i), model: 'qwen-quality' }),
    );
    expect(other).not.toEqual(a);
  });
});
