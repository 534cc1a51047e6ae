import { describe, expect, it } from 'vitest';
import { settle } from '../lib/clock.ts';
import { coalescingWriter } from './coalescing-writer.ts';

describe('coalescing writer', () => {
  it('writes the frames of one turn once, in order, and flushes on demand', async () => {
    const writes: string[] = [];
    const w = coalescingWriter((t) => writes.push(t));
    w.push('a');
    w.push('');
    w.push('b');
    expect(writes).toEqual([]);
    await settle(1);
    expect(writes).toEqual(['ab']);
    w.push('c');
    w.flush();
    expect(writes).toEqual(['ab', 'c']);
    await settle(1);
    expect(writes).toEqual(['ab', 'c']);
  });

  it('hands over what is buffered, which is then not written', async () => {
    const writes: string[] = [];
    const w = coalescingWriter((t) => writes.push(t));
    w.push('a');
    w.push('b');
    expect(w.take()).toBe('ab');
    expect(w.take()).toBe('');
    await settle(1);
    expect(writes).toEqual([]);
  });
});
