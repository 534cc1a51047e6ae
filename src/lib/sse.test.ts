import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSSEParser, formatSSE, parseSSE, sseComment, sseJson, type SSEMessage } from './sse.ts';

describe('sse', () => {
  it('formats events, multi-line data and comments', () => {
    expect(formatSSE({ event: 'ping', data: '{"type":"ping"}' })).toBe(
      'event: ping\ndata: {"type":"ping"}\n\n',
    );
    expect(formatSSE({ data: 'a\nb' })).toBe('data: a\ndata: b\n\n');
    expect(sseComment('keep-alive')).toBe(': keep-alive\n\n');
    expect(sseJson({ a: 1 }, 'x')).toEqual({ event: 'x', data: '{"a":1}' });
  });

  it('parses by the spec: comments, optional space, CRLF, fields without value', () => {
    const text = ': hello\r\nevent: e\r\ndata:x\r\ndata\r\nid: 7\r\nretry: 10\r\n\r\ndata: [DONE]\n\n';
    expect(parseSSE(text)).toEqual([{ event: 'e', data: 'x\n', id: '7', retry: 10 }, { data: '[DONE]' }]);
    expect(parseSSE(sseComment('only a comment'))).toEqual([]);
    expect(parseSSE('data: no final blank line')).toEqual([{ data: 'no final blank line' }]);
  });

  it('round-trips any events split at any chunk boundaries', () => {
    const message = fc.record(
      { event: fc.stringMatching(/^[a-z_]{1,12}$/), data: fc.string({ unit: 'grapheme' }) },
      { requiredKeys: ['data'] },
    );
    fc.assert(
      fc.property(fc.array(message, { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 8 }), (msgs, cuts) => {
        const text = msgs.map((m) => formatSSE(m as SSEMessage)).join(sseComment('ka'));
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const parser = createSSEParser();
        const out: SSEMessage[] = [];
        let at = 0;
        for (const p of [...points, text.length]) {
          out.push(...parser.push(text.slice(at, p)));
          at = p;
        }
        out.push(...parser.end());
        const normal = msgs.map((m) => ({ ...m, data: m.data.replace(/\r\n|\r/g, '\n') }));
        expect(out).toEqual(normal);
      }),
    );
  });
});
