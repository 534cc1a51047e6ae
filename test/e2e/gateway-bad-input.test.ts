// Bad input never gets a 5xx or a crash: arbitrary bodies (fast-check) to every endpoint that takes
// a body get a 4xx in that API's own envelope, or a normal answer when they happen to be valid.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { BASE, gatewayHarness } from './gateway-harness.ts';

const h = await gatewayHarness();
afterAll(() => h.close());

type Face = 'openai' | 'anthropic' | 'ollama';
const ENDPOINTS: Array<[string, Face]> = [
  ['/v1/chat/completions', 'openai'],
  ['/v1/messages', 'anthropic'],
  ['/v1/messages/count_tokens', 'anthropic'],
  ['/api/chat', 'ollama'],
  ['/api/generate', 'ollama'],
  ['/api/show', 'ollama'],
];

function envelopeOk(face: Face, body: unknown): boolean {
  const b = body as Record<string, unknown> & { error?: unknown };
  if (face === 'openai') return typeof (b.error as { message?: unknown })?.message === 'string';
  if (face === 'anthropic')
    return b.type === 'error' && typeof (b.error as { type?: unknown })?.type === 'string';
  return typeof b.error === 'string';
}

async function send(path: string, body: string): Promise<Response> {
  return h.until(
    h.fetch(`${BASE}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }),
  );
}

async function check(path: string, face: Face, body: string): Promise<void> {
  const res = await send(path, body);
  const text = await h.until(res.text());
  expect(res.status, `${path} ${body.slice(0, 200)} -> ${text.slice(0, 200)}`).toBeLessThan(500);
  if (res.status >= 400) expect(envelopeOk(face, JSON.parse(text))).toBe(true);
}

// bodies close to valid ones, so the fuzzer reaches the translators and the chain, not only JSON.parse
const message = fc.record(
  {
    role: fc.oneof(fc.constantFrom('user', 'assistant', 'system', 'tool', 'developer'), fc.string()),
    content: fc.oneof(
      fc.string(),
      fc.array(
        fc.record({ type: fc.constantFrom('text', 'image', 'tool_result', 'image_url'), text: fc.string() }),
        { maxLength: 2 },
      ),
      fc.anything(),
    ),
  },
  { requiredKeys: [] },
);
const nearlyValid = fc.record(
  {
    model: fc.oneof(fc.constantFrom('coder', 'qwen2.5:7b', 'nope'), fc.anything()),
    messages: fc.oneof(fc.array(message, { maxLength: 3 }), fc.anything()),
    max_tokens: fc.oneof(fc.integer({ min: -5, max: 50 }), fc.anything()),
    stream: fc.oneof(fc.boolean(), fc.anything()),
    tools: fc.array(
      fc.record(
        { name: fc.string(), input_schema: fc.anything(), type: fc.string(), function: fc.anything() },
        { requiredKeys: [] },
      ),
      { maxLength: 2 },
    ),
    temperature: fc.anything(),
    // /api/generate's
    prompt: fc.oneof(fc.string(), fc.anything()),
    raw: fc.oneof(fc.boolean(), fc.anything()),
    suffix: fc.oneof(fc.string(), fc.anything()),
  },
  { requiredKeys: [] },
);

describe('bad input', () => {
  it.each(ENDPOINTS)('%s: arbitrary JSON never gets a 5xx', async (path, face) => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => check(path, face, JSON.stringify(v))),
      { numRuns: 60 },
    );
  });

  it.each(ENDPOINTS)('%s: nearly valid requests never get a 5xx', async (path, face) => {
    await fc.assert(
      fc.asyncProperty(nearlyValid, async (v) => check(path, face, JSON.stringify(v) ?? 'null')),
      { numRuns: 60 },
    );
  });

  it.each(ENDPOINTS)('%s: malformed JSON text gets a 400', async (path, face) => {
    await fc.assert(
      fc.asyncProperty(fc.string(), async (s) => {
        const text = `{${s}`;
        const res = await send(path, text);
        expect(res.status).toBe(400);
        expect(envelopeOk(face, await res.json())).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('a body nested too deep to serialise again gets a 400 in each envelope', async () => {
    const deep = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;
    const schema = `{"type":"object","properties":{"a":${deep}}}`;
    const user = '[{"role":"user","content":"x"}]';
    const bodies: Record<Face, string> = {
      openai: `{"model":"coder","messages":${user},"tools":[{"type":"function","function":{"name":"t","parameters":${schema}}}]}`,
      anthropic: `{"model":"coder","max_tokens":5,"messages":${user},"tools":[{"name":"t","input_schema":${schema}}]}`,
      ollama: `{"model":"coder","messages":${user},"tools":[{"type":"function","function":{"name":"t","parameters":${schema}}}]}`,
    };
    for (const [path, face] of ENDPOINTS) {
      const res = await send(path, bodies[face]);
      expect(res.status, path).toBe(400);
      expect(envelopeOk(face, await res.json())).toBe(true);
    }
  });

  it('a body over gateway.bodyLimitBytes gets a 413 in each envelope', async () => {
    for (const [path, face] of ENDPOINTS) {
      const res = await send(
        path,
        JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: 'x'.repeat(70_000) }] }),
      );
      expect(res.status).toBe(413);
      expect(envelopeOk(face, await res.json())).toBe(true);
    }
  });
});
