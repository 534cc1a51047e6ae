// Property: whatever JSON a client sends, the wire -> core mappers either return a request or throw
// AppError('bad_request'); never another error (which the gateway would turn into a 500).
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors/index.ts';
import { anthropicCountTokensToCore, anthropicToCore } from '../anthropic/anthropic-to-core.ts';
import { openAIToCore } from '../openai/openai-to-core.ts';

const meta = { requestId: 'fuzz' };
const MAPPERS = { openAIToCore, anthropicToCore, anthropicCountTokensToCore };

function onlyBadRequest(map: (body: unknown, m: typeof meta) => unknown, body: unknown): void {
  try {
    map(body, meta);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'bad_request') throw e;
    expect(e.message).toMatch(/^\S.*: .+/);
  }
}

const json = fc.jsonValue({ maxDepth: 4 });
const word = fc.constantFrom(
  'text',
  'image',
  'image_url',
  'tool_use',
  'tool_result',
  'thinking',
  'document',
  'function',
  'object',
  'base64',
  'url',
  'x',
);
const block = fc.dictionary(
  fc.constantFrom(
    'type',
    'text',
    'id',
    'name',
    'input',
    'tool_use_id',
    'content',
    'is_error',
    'source',
    'image_url',
    'thinking',
    'data',
    'url',
    'media_type',
  ),
  fc.oneof(word, json),
);
const message = fc.record(
  {
    role: fc.oneof(fc.constantFrom('system', 'developer', 'user', 'assistant', 'tool'), json),
    content: fc.oneof(fc.string(), fc.array(block, { maxLength: 4 }), json),
    tool_calls: fc.array(
      fc.record({
        id: fc.string(),
        function: fc.record({ name: fc.string(), arguments: fc.oneof(fc.string(), fc.json()) }),
      }),
      { maxLength: 2 },
    ),
    tool_call_id: fc.oneof(fc.string(), json),
  },
  { requiredKeys: ['role'] },
);
const tool = fc.oneof(
  fc.record(
    { name: fc.string(), input_schema: json, type: fc.oneof(fc.constant('custom'), fc.string()) },
    { requiredKeys: ['name'] },
  ),
  fc.record({ type: fc.constant('function'), function: fc.record({ name: fc.string(), parameters: json }) }),
);
const body = fc.record(
  {
    model: fc.oneof(fc.string(), json),
    max_tokens: fc.oneof(fc.integer(), json),
    messages: fc.array(message, { maxLength: 5 }),
    system: fc.oneof(fc.string(), fc.array(block, { maxLength: 2 }), json),
    tools: fc.array(tool, { maxLength: 3 }),
    tool_choice: fc.oneof(
      json,
      fc.record({ type: word, name: fc.string() }),
      fc.constantFrom('auto', 'required'),
    ),
    response_format: json,
    metadata: fc.oneof(fc.record({ user_id: fc.oneof(fc.string(), json) }), json),
    stop: json,
    output_config: json,
  },
  { requiredKeys: [] },
);

describe('wire -> core never fails with anything but bad_request', () => {
  for (const [name, map] of Object.entries(MAPPERS)) {
    it(`${name}: arbitrary JSON`, () => {
      fc.assert(
        fc.property(json, (b) => onlyBadRequest(map, b)),
        { numRuns: 300 },
      );
    });
    it(`${name}: request-shaped bodies`, () => {
      fc.assert(
        fc.property(body, (b) => onlyBadRequest(map, b)),
        { numRuns: 500 },
      );
    });
  }

  it('mutated real requests (a field replaced by any JSON) never crash', () => {
    const cc = JSON.parse(
      readFileSync(new URL('../anthropic/__fixtures__/claude-code-request.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const oa = JSON.parse(
      readFileSync(new URL('../openai/__fixtures__/chat-request-tools.json', import.meta.url), 'utf8'),
    ) as Record<string, unknown>;
    const mutate = (base: Record<string, unknown>) =>
      fc.tuple(fc.constantFrom(...Object.keys(base)), json).map(([k, v]) => ({ ...base, [k]: v }));
    fc.assert(
      fc.property(mutate(cc), (b) => onlyBadRequest(anthropicToCore, b)),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(mutate(oa), (b) => onlyBadRequest(openAIToCore, b)),
      { numRuns: 200 },
    );
  });
});
