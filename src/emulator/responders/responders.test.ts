import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defaultResponder } from './default-responder.ts';
import { splitTokens } from './responder.ts';

const ask = (content: string, model = 'm', role = 'user') => ({
  model,
  messages: [{ role, content }],
  tools: [],
});

describe('default responder', () => {
  it('writes exactly num_predict tokens, the same text for the same prompt', () => {
    const a = defaultResponder({ ...ask('hello'), maxTokens: 37 });
    expect(splitTokens(a.content)).toHaveLength(37);
    expect(defaultResponder({ ...ask('hello'), maxTokens: 37 })).toEqual(a);
    expect(defaultResponder({ ...ask('other'), maxTokens: 37 }).content).not.toBe(a.content);
  });

  it('derives a length from the prompt when none is requested', () => {
    const n = splitTokens(defaultResponder(ask('what now?')).content).length;
    expect(n).toBeGreaterThanOrEqual(16);
    expect(n).toBeLessThan(64);
  });
});

describe('structured output (format)', () => {
  const Decision = z.discriminatedUnion('action', [
    z.object({
      action: z.literal('consult'),
      specialist: z.enum(['coder', 'reviewer']),
      instruction: z.string(),
    }),
    z.object({
      action: z.literal('finish'),
      summary: z.string().min(12),
      confidence: z.number().min(0).max(1),
    }),
    z.object({ action: z.literal('ask_user'), questions: z.array(z.string()).min(2), urgent: z.boolean() }),
  ]);
  const schema = z.toJSONSchema(Decision) as Record<string, unknown>;

  it('answers JSON that the requested schema accepts, the same for the same prompt', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const out = defaultResponder({ ...ask(`decide ${i}`), format: schema });
      expect(Decision.safeParse(JSON.parse(out.content)).success, out.content).toBe(true);
      seen.add((JSON.parse(out.content) as { action: string }).action);
      expect(defaultResponder({ ...ask(`decide ${i}`), format: schema })).toEqual(out);
    }
    expect(seen.size).toBe(3);
    expect(
      () => JSON.parse(defaultResponder({ ...ask('x'), format: 'json' }).content) as unknown,
    ).not.toThrow();
  });
});
