import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors/index.ts';
import { parseAgentIdentity } from './agent-identity.ts';
import { decodeImageUrl, toDataUrl } from './data-url.ts';
import { estimateTokens, TOKENS_PER_IMAGE, TOKENS_PER_MESSAGE } from './estimate-tokens.ts';
import { parseToolArguments } from './tool-arguments.ts';

describe('parseAgentIdentity', () => {
  it("keeps Claude Code's whole user_id as the agent and extracts the session uuid", () => {
    const id =
      'user_abc_account_8b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e_session_3F9C2A71-5B4E-4D8A-9C1E-7A2B6D0E4F13';
    expect(parseAgentIdentity(id)).toEqual({
      agentId: id,
      sessionId: '3f9c2a71-5b4e-4d8a-9c1e-7a2b6d0e4f13',
    });
  });
  it('reads session_id from the JSON form and leaves plain ids alone', () => {
    const json = '{"device_id":"d1","account_uuid":"a1","session_id":"s-42"}';
    expect(parseAgentIdentity(json)).toEqual({ agentId: json, sessionId: 's-42' });
    expect(parseAgentIdentity('reviewer-3')).toEqual({ agentId: 'reviewer-3' });
    expect(parseAgentIdentity('  ')).toBeUndefined();
    expect(parseAgentIdentity('{not json')).toEqual({ agentId: '{not json' });
  });
});

describe('data URLs', () => {
  it('splits base64 data URLs (with parameters) and builds them back', () => {
    expect(decodeImageUrl('data:image/JPEG;name=a.jpg;base64,/9j/4AAQ', 'p')).toEqual({
      mediaType: 'image/jpeg',
      data: '/9j/4AAQ',
    });
    expect(toDataUrl('image/png', 'AAAA')).toBe('data:image/png;base64,AAAA');
  });
  it('rejects URLs and non-base64 data with the path', () => {
    expect(() => decodeImageUrl('data:image/svg+xml,<svg/>', 'messages[0].content[1]')).toThrow(
      /^messages\[0\]\.content\[1\]: expected a base64 data: URL/,
    );
    expect(() => decodeImageUrl('https://example.com/a.png', 'x')).toThrow(AppError);
  });
});

describe('parseToolArguments', () => {
  it('parses, repairs, and rejects non-objects', () => {
    expect(parseToolArguments('{"a":1}', 'p')).toEqual({ a: 1 });
    expect(parseToolArguments('', 'p')).toEqual({});
    expect(parseToolArguments("{'a': 1, b: [1,2,]}", 'p')).toEqual({ a: 1, b: [1, 2] });
    expect(() => parseToolArguments('[1,2]', 'calls[0].arguments')).toThrow(
      'calls[0].arguments: expected the JSON text of an object',
    );
  });
});

describe('estimateTokens', () => {
  it('counts about 4 characters per token plus fixed costs for messages, images and tools', () => {
    const base = {
      messages: [{ role: 'user' as const, content: [{ type: 'text' as const, text: 'x'.repeat(400) }] }],
    };
    expect(estimateTokens(base)).toBe(100 + TOKENS_PER_MESSAGE);
    expect(estimateTokens({ ...base, system: 'y'.repeat(40) })).toBe(100 + 10 + 2 * TOKENS_PER_MESSAGE);
    const withImage = {
      messages: [
        {
          role: 'user' as const,
          content: [{ type: 'image' as const, mediaType: 'image/png', data: 'A'.repeat(100_000) }],
        },
      ],
    };
    expect(estimateTokens(withImage)).toBe(TOKENS_PER_IMAGE + TOKENS_PER_MESSAGE);
    const withTool = estimateTokens({ ...base, tools: [{ name: 'Read', parameters: { type: 'object' } }] });
    expect(withTool).toBeGreaterThan(estimateTokens(base) + 20);
  });
});
