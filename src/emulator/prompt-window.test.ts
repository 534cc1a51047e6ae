import { describe, expect, it } from 'vitest';
import { fitToContext, messageKey } from './prompt-window.ts';

const msg = (role: string, chars: number, tag = '') => ({
  role,
  content: tag + 'x'.repeat(chars - tag.length),
});

describe('prompt window', () => {
  it('keeps everything that fits, with about 4 characters per token plus one per message', () => {
    const w = fitToContext([msg('system', 40), msg('user', 400)], undefined, 8192);
    expect(w.promptTokens).toBe(11 + 101);
    expect(w.dropped).toBe(0);
    expect(w.parts.map((p) => p.tokens)).toEqual([11, 101]);
  });

  it('drops the oldest messages but keeps system messages and the last one, like Ollama', () => {
    const messages = [
      msg('system', 400, 's'),
      msg('user', 4000, 'u1'),
      msg('assistant', 4000, 'a1'),
      msg('user', 400, 'u2'),
    ];
    const w = fitToContext(messages, undefined, 1500);
    expect(w.messages.map((m) => m.content.slice(0, 2))).toEqual(['sx', 'a1', 'u2']);
    expect(w.dropped).toBe(1);
    const tight = fitToContext(messages, undefined, 300);
    expect(tight.messages.map((m) => m.content.slice(0, 2))).toEqual(['sx', 'u2']);
    expect(tight.promptTokens).toBe(202);
    const tooLong = fitToContext([msg('user', 40_000)], undefined, 2048);
    expect(tooLong.promptTokens).toBe(2048); // cut to the window
  });

  it('counts tool definitions as a leading part', () => {
    const w = fitToContext([msg('user', 4)], '{"name":"read"}', 100);
    expect(w.parts[0]!.key).toMatch(/^tools:/);
    expect(w.promptTokens).toBe(4 + 2);
  });

  it('identifies a message by role, text and tool calls, not by call ids', () => {
    const a = { role: 'assistant', content: '', toolCalls: [{ name: 'f', arguments: { x: 1 } }] };
    expect(messageKey(a)).toBe(messageKey({ ...a }));
    expect(messageKey(a)).not.toBe(messageKey({ ...a, toolCalls: [{ name: 'f', arguments: { x: 2 } }] }));
    expect(messageKey(a)).not.toBe(messageKey({ ...a, role: 'user' }));
  });
});
