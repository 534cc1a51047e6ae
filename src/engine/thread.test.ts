import { describe, expect, it } from 'vitest';
import { Thread, type ThreadJSON } from './thread.ts';

const words = (n: number, w = 'word'): string => Array.from({ length: n }, () => w).join(' ');

describe('Thread', () => {
  it('trims the oldest unpinned turns and keeps the system prompt, pinned messages and the latest turn', () => {
    const t = new Thread({
      name: 'coder',
      alias: 'coder',
      contextWindow: 1000,
      system: 'You are the coder.',
    });
    t.add({ role: 'user', content: `TASK ${words(100)}`, pinned: true });
    for (let i = 0; i < 20; i++) {
      t.add({ role: 'user', content: `question ${i} ${words(60)}` });
      t.add({ role: 'assistant', content: `answer ${i} ${words(60)}` });
    }
    const window = t.window();
    expect(t.tokens(window)).toBeLessThanOrEqual(t.budget);
    expect(window[0]!.content).toMatch(/^TASK/);
    expect(window.at(-1)!.content).toMatch(/^answer 19/);
    // newest turns kept, oldest dropped
    expect(window.some((m) => m.content.startsWith('question 18'))).toBe(true);
    expect(window.some((m) => m.content.startsWith('question 0 '))).toBe(false);
    // nothing is lost from the thread itself
    expect(t.messages).toHaveLength(41);
  });

  it('never keeps a tool result without the call it answers', () => {
    const t = new Thread({ name: 'c', alias: 'c', contextWindow: 400 });
    for (let i = 0; i < 10; i++) {
      t.add({
        role: 'assistant',
        content: '',
        toolCalls: [{ id: `c${i}`, name: 'read_file', input: { path: words(20, 'p') } }],
      });
      t.add({ role: 'tool', content: words(40, 'x'), toolCallId: `c${i}`, toolName: 'read_file' });
    }
    const window = t.window();
    const calls = new Set(window.flatMap((m) => m.toolCalls?.map((c) => c.id) ?? []));
    for (const m of window.filter((x) => x.role === 'tool')) expect(calls.has(m.toolCallId!)).toBe(true);
    expect(window.length).toBeLessThan(20);
  });

  it('calibrates its estimate with the server-reported prompt tokens', () => {
    const t = new Thread({ name: 'c', alias: 'c', contextWindow: 8192, system: 'sys' });
    t.add({ role: 'user', content: words(200) });
    const before = t.tokens();
    t.observe(t.window(), before * 2);
    expect(t.tokens()).toBeGreaterThan(before * 1.8);
  });

  it('saves and loads as JSON', () => {
    const t = new Thread({ name: 'c', alias: 'coder', contextWindow: 4096, system: 'sys' });
    t.add({ role: 'user', content: 'hi', pinned: true });
    t.add({
      role: 'assistant',
      content: '',
      toolCalls: [{ id: '1', name: 'read_file', input: { path: 'a' } }],
    });
    t.add({ role: 'tool', content: 'A', toolCallId: '1', toolName: 'read_file' });
    t.observe(t.window(), 40);
    const loaded = Thread.fromJSON(JSON.parse(JSON.stringify(t.toJSON())) as ThreadJSON);
    expect(loaded.toJSON()).toEqual(t.toJSON());
    expect(() => Thread.fromJSON({ ...t.toJSON(), version: 2 as 1 })).toThrow(/expected version 1, found 2/);
  });

  it('refuses a context window that is not a positive integer', () => {
    expect(() => new Thread({ name: 'c', alias: 'c', contextWindow: 0 })).toThrow(
      /contextWindow must be a positive integer, found 0/,
    );
  });
});

describe('Thread: the request around the messages', () => {
  const filled = (): Thread => {
    const t = new Thread({ name: 'c', alias: 'c', contextWindow: 2000 });
    t.add({ role: 'user', content: `TASK ${words(50)}`, pinned: true });
    for (let i = 0; i < 30; i++) t.add({ role: 'user', content: `turn ${i} ${words(40)}` });
    return t;
  };

  it("leaves room for the request's system prompt and tool definitions", () => {
    const t = filled();
    const system = words(600, 'rule');
    const tools = JSON.stringify([{ type: 'function', function: { name: 'x', description: words(300) } }]);
    const bare = t.window();
    const framed = t.window({ system, tools });
    expect(framed.length).toBeLessThan(bare.length);
    const sent = t.tokens(framed) + t.estimator.message(system) + t.estimator.text(tools);
    expect(sent).toBeLessThanOrEqual(t.budget);
    // the pinned task and the latest turn survive even so
    expect(framed[0]!.content).toMatch(/^TASK/);
    expect(framed.at(-1)!.content).toMatch(/^turn 29 /);
  });

  it('calibrates against the whole prompt the server counted, system and tools included', () => {
    const t = filled();
    const system = words(600, 'rule');
    const tools = words(200, 'tool');
    const sent = t.window({ system, tools });
    // the server counts exactly the plain estimate of everything sent
    const counted =
      t.tokens(sent) - t.estimator.message('') + t.estimator.message(system) + t.estimator.text(tools);
    t.observe(sent, counted, { system, tools });
    expect(t.estimator.ratio).toBeCloseTo(1, 1);
  });

  it('believes a higher count at once, a lower one slowly, and none near the window', () => {
    const t = new Thread({ name: 'c', alias: 'c', contextWindow: 100_000 });
    t.add({ role: 'user', content: words(1000) });
    const sent = t.window();
    const raw = t.tokens(sent);
    t.observe(sent, raw * 1.5);
    expect(t.estimator.ratio).toBeCloseTo(1.5, 1);
    t.observe(sent, raw * 2.5);
    expect(t.estimator.ratio).toBeCloseTo(2, 1);
    // a count that leaves cached tokens out must not make the thread overflow
    t.observe(sent, raw * 0.5);
    expect(t.estimator.ratio).toBeGreaterThan(1.8);
    // a count at the window may be the server's truncation
    const before = t.estimator.ratio;
    t.observe(sent, 99_000);
    expect(t.estimator.ratio).toBe(before);
  });

  it('refuses saved JSON with a wrong field, naming it', () => {
    const t = new Thread({ name: 'c', alias: 'coder', contextWindow: 4096 });
    t.add({ role: 'user', content: 'hi' });
    const json = t.toJSON();
    expect(() => Thread.fromJSON({ ...json, messages: [{ role: 'system', content: 'x' }] })).toThrow(
      /thread JSON: messages\.0\.role: /,
    );
    expect(() => Thread.fromJSON({ ...json, contextWindow: -1 })).toThrow(/thread JSON: contextWindow: /);
    expect(() => Thread.fromJSON(null)).toThrow(/expected version 1, found undefined/);
  });
});
