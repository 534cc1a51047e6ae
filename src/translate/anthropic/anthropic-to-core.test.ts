import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors/index.ts';
import { anthropicCountTokensToCore, anthropicToCore } from './anthropic-to-core.ts';

const meta = { requestId: 'req_1' };

function badRequest(body: unknown): string {
  try {
    anthropicToCore(body, meta);
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('bad_request');
    return (e as AppError).message;
  }
  throw new Error('expected a bad_request');
}

const SESSION = '7d3c1f0e-1b2a-4c5d-8e9f-0a1b2c3d4e5f';
const USER_ID = `user_${'ab'.repeat(32)}_account_1e2d3c4b-5a69-4788-9a0b-1c2d3e4f5a6b_session_${SESSION}`;

describe('anthropicToCore', () => {
  it('maps system blocks, tool_use/tool_result history, images, thinking and identity', () => {
    const req = anthropicToCore(
      {
        model: 'claude-sonnet-4-5',
        max_tokens: 1024,
        system: [
          { type: 'text', text: 'You are Claude Code.', cache_control: { type: 'ephemeral' } },
          { type: 'text', text: 'Be careful.' },
        ],
        messages: [
          { role: 'user', content: 'List files' },
          {
            role: 'assistant',
            content: [
              { type: 'thinking', thinking: 'I should run ls.', signature: 'sig' },
              { type: 'redacted_thinking', data: 'xxx' },
              { type: 'text', text: 'Running ls.' },
              { type: 'tool_use', id: 'toolu_1', name: 'Bash', input: { command: 'ls' } },
            ],
          },
          {
            role: 'user',
            content: [
              {
                type: 'tool_result',
                tool_use_id: 'toolu_1',
                content: 'ls: permission denied',
                is_error: true,
              },
              { type: 'text', text: 'Try again' },
              { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
              { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: [] },
            ],
          },
        ],
        tools: [
          {
            name: 'Bash',
            description: 'Run a command',
            input_schema: { type: 'object', properties: { command: { type: 'string' } } },
          },
          { type: 'web_search_20250305', name: 'web_search', max_uses: 5 },
        ],
        tool_choice: { type: 'any' },
        stop_sequences: ['\n\nHuman:'],
        temperature: 1,
        top_k: 40,
        thinking: { type: 'enabled', budget_tokens: 2048 },
        metadata: { user_id: USER_ID },
        stream: true,
        context_management: { edits: [] },
      },
      meta,
    );
    expect(req).toEqual({
      model: 'claude-sonnet-4-5',
      system: 'You are Claude Code.\n\nBe careful.',
      messages: [
        { role: 'user', content: [{ type: 'text', text: 'List files' }] },
        {
          role: 'assistant',
          content: [
            { type: 'thinking', text: 'I should run ls.', signature: 'sig' },
            { type: 'text', text: 'Running ls.' },
          ],
          toolCalls: [{ id: 'toolu_1', name: 'Bash', arguments: { command: 'ls' } }],
        },
        {
          role: 'tool',
          content: [{ type: 'text', text: 'ls: permission denied' }],
          toolCallId: 'toolu_1',
          toolName: 'Bash',
          isError: true,
        },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Try again' },
            { type: 'image', mediaType: 'image/png', data: 'AAAA' },
          ],
        },
      ],
      tools: [
        {
          name: 'Bash',
          description: 'Run a command',
          parameters: { type: 'object', properties: { command: { type: 'string' } } },
        },
      ],
      toolChoice: 'required',
      stop: ['\n\nHuman:'],
      temperature: 1,
      topK: 40,
      thinking: true,
      maxTokens: 1024,
      stream: true,
      meta: { requestId: 'req_1', alias: 'claude-sonnet-4-5', agentId: USER_ID, sessionId: SESSION },
    });
  });

  it('maps text documents to text and drops PDFs with a note', () => {
    const req = anthropicToCore(
      {
        model: 'm',
        max_tokens: 10,
        messages: [
          {
            role: 'user',
            content: [
              {
                type: 'document',
                title: 'notes',
                source: { type: 'text', media_type: 'text/plain', data: 'hello' },
              },
              {
                type: 'document',
                source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
              },
            ],
          },
        ],
      },
      meta,
    );
    expect(req.messages[0]?.content).toEqual([
      { type: 'text', text: 'notes\n\nhello' },
      { type: 'text', text: '[document (application/pdf) omitted: not readable by this model]' },
    ]);
  });

  it('counts-tokens bodies need no max_tokens', () => {
    const req = anthropicCountTokensToCore({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, meta);
    expect(req.messages).toHaveLength(1);
  });

  it('names the field path and the tool in bad requests', () => {
    const base = { model: 'm', max_tokens: 5 };
    expect(
      badRequest({
        ...base,
        messages: [
          { role: 'user', content: 'a' },
          { role: 'assistant', content: 'b' },
          { role: 'user', content: 'c' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'x' },
              { type: 'tool_result', tool_use_id: 42 },
            ],
          },
        ],
      }),
    ).toBe('messages[3].content[1].tool_use_id: expected a string, got a number');
    expect(badRequest({ model: 'm', messages: [] })).toBe('max_tokens: expected a number, got nothing');
    expect(
      badRequest({ ...base, messages: [], tools: [{ name: 'Read', input_schema: { type: 'array' } }] }),
    ).toBe('tools[0].input_schema: tool "Read" has a schema of type "array"; expected "object"');
    expect(badRequest({ ...base, messages: [], tools: [{ name: 'Read' }] })).toMatch(
      /tool "Read" needs a JSON Schema/,
    );
    expect(
      badRequest({
        ...base,
        messages: [
          { role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://a/b.png' } }] },
        ],
      }),
    ).toMatch(/^messages\[0\]\.content\[0\]\.source: image URLs are not fetched/);
    expect(badRequest({ ...base, messages: [{ role: 'bot', content: 'x' }] })).toBe(
      'messages[0].role: expected one of "user", "assistant", "system"',
    );
  });

  it('refuses a conversation with nothing to send (Ollama would only load the model)', () => {
    const base = { model: 'm', max_tokens: 5 };
    expect(badRequest({ ...base, messages: [] })).toBe('messages: expected at least one message');
    expect(badRequest({ ...base, system: 'be brief', messages: [{ role: 'user', content: [] }] })).toBe(
      'messages: expected at least one message',
    );
  });

  it('header identity wins over metadata.user_id; plain ids carry no session', () => {
    const body = {
      model: 'm',
      max_tokens: 5,
      messages: [{ role: 'user', content: 'hi' }],
      metadata: { user_id: 'bob' },
    };
    expect(anthropicToCore(body, meta).meta).toEqual({ requestId: 'req_1', alias: 'm', agentId: 'bob' });
    expect(anthropicToCore(body, { requestId: 'r', agentId: 'h' }).meta.agentId).toBe('h');
  });

  it('carries thinking as asked: enabled or adaptive is true, disabled is false, absent is unset', () => {
    const ask = (thinking?: unknown) =>
      anthropicToCore(
        {
          model: 'm',
          max_tokens: 10,
          messages: [{ role: 'user', content: 'hi' }],
          ...(thinking ? { thinking } : {}),
        },
        meta,
      ).thinking;
    expect(ask({ type: 'enabled', budget_tokens: 1024 })).toBe(true);
    expect(ask({ type: 'adaptive' })).toBe(true);
    expect(ask({ type: 'disabled' })).toBe(false);
    expect(ask()).toBeUndefined();
  });
});
