import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors/index.ts';
import type { BodyListener, PushBody } from '../lib/push-body.ts';
import { OllamaChunkStream, type ChunkStreamSource } from './ollama-chunk-stream.ts';

type Chunk = { n: number; done?: boolean };

interface BodyState {
  cancelled: boolean;
  /** (a push body) read to its end after the final chunk, to keep its connection */
  released: boolean;
}
type Body = ReadableStream<Uint8Array> | PushBody;
type BodyFactory = (parts: string[], opts?: { failAfter?: boolean }) => { stream: Body; state: BodyState };

/** a web body made of `parts` (one read each), recording whether it was cancelled */
function body(parts: string[], opts: { failAfter?: boolean } = {}): { stream: Body; state: BodyState } {
  const state = { cancelled: false, released: false };
  const utf8 = new TextEncoder();
  let i = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(c) {
      const part = parts[i++];
      if (part !== undefined) c.enqueue(utf8.encode(part));
      else if (opts.failAfter === true) c.error(new TypeError('terminated'));
      else c.close();
    },
    cancel() {
      state.cancelled = true;
    },
  });
  return { stream, state };
}

/** the same as a PushBody: one part per turn while resumed, as a socket's reads come */
function pushBody(parts: string[], opts: { failAfter?: boolean } = {}): { stream: Body; state: BodyState } {
  const state = { cancelled: false, released: false };
  const utf8 = new TextEncoder();
  let listener: BodyListener | undefined;
  let flowing = false;
  let scheduled = false;
  let i = 0;
  const deliver = (): void => {
    scheduled = false;
    if (state.cancelled || state.released || listener === undefined) return;
    if (i < parts.length) {
      if (!flowing) return;
      listener.data(utf8.encode(parts[i++]));
    } else {
      i++;
      // as from node's Readable, the end comes even while paused, once the last chunk was read
      if (opts.failAfter === true) listener.error(new TypeError('terminated'));
      else listener.end();
    }
    schedule();
  };
  const schedule = (): void => {
    if (scheduled || i > parts.length) return;
    scheduled = true;
    setImmediate(deliver);
  };
  const stream: PushBody = {
    listen: (l) => void (listener = l),
    resume() {
      flowing = true;
      schedule();
    },
    pause: () => void (flowing = false),
    cancel: () => void (state.cancelled = true),
    release: () => void (state.released = true),
  };
  return { stream, state };
}

function source(stream: Body): ChunkStreamSource<number> {
  return {
    open: () => Promise.resolve(stream),
    decode(value, into) {
      const chunk = value as Chunk;
      if (typeof chunk.n !== 'number') throw new AppError('upstream_error', 'no n');
      into.push(chunk.n);
      return chunk.done === true;
    },
    failure: (e) => new AppError('upstream_unavailable', `failed: ${(e as Error).message}`),
    closedEarly: () => new AppError('upstream_unavailable', 'closed before the final chunk'),
  };
}

const lines = (...xs: Chunk[]): string => xs.map((x) => `${JSON.stringify(x)}\n`).join('');

/** every item pushed, and how the stream ended */
function pushed(s: OllamaChunkStream<number>): Promise<{ items: number[]; error?: unknown }> {
  const items: number[] = [];
  return new Promise((resolve) =>
    s.subscribe({
      item: (n) => items.push(n),
      end: (error) => resolve(error === undefined ? { items } : { items, error }),
    }),
  );
}

async function pulled(s: OllamaChunkStream<number>): Promise<{ items: number[]; error?: unknown }> {
  const items: number[] = [];
  try {
    for await (const n of s) items.push(n);
  } catch (error) {
    return { items, error };
  }
  return { items };
}

const bodies: [string, BodyFactory][] = [
  ['web body', body],
  ['push body', pushBody],
];

describe.each(bodies)('OllamaChunkStream on a %s', (kind, body) => {
  const modes = { pulled, pushed };
  for (const [mode, read] of Object.entries(modes)) {
    it(`${mode}: hands out every item across read boundaries and stops at the final chunk, ending the body`, async () => {
      const all = lines({ n: 1 }, { n: 2 }, { n: 3, done: true }, { n: 4 });
      const rest = lines({ n: 5 });
      const { stream, state } = body([all.slice(0, 5), all.slice(5, 20), all.slice(20), rest, rest]);
      expect(await read(new OllamaChunkStream(source(stream)))).toEqual({ items: [1, 2, 3] });
      // a push body's connection is kept: its end is read, not cancelled
      expect(state).toEqual(
        kind === 'push body' ? { cancelled: false, released: true } : { cancelled: true, released: false },
      );
    });

    it(`${mode}: a failure comes after the items read before it, as an AppError`, async () => {
      const { stream } = body([lines({ n: 1 }) + '{"n": 2}\n{"oops": 1}\n', lines({ n: 3 })]);
      const r = await read(new OllamaChunkStream(source(stream)));
      expect(r.items).toEqual([1, 2]);
      expect(r.error).toMatchObject({ code: 'upstream_error', message: 'no n' });
    });

    it(`${mode}: a body that ends or breaks before the final chunk fails`, async () => {
      const ended = await read(new OllamaChunkStream(source(body([lines({ n: 1 })]).stream)));
      expect(ended).toMatchObject({ items: [1], error: { message: 'closed before the final chunk' } });
      const broken = await read(
        new OllamaChunkStream(source(body([lines({ n: 1 })], { failAfter: true }).stream)),
      );
      expect(broken).toMatchObject({ items: [1], error: { message: 'failed: terminated' } });
    });

    it(`${mode}: a line that is not JSON fails through the source's failure`, async () => {
      const r = await read(new OllamaChunkStream(source(body([`${lines({ n: 1 })}{nope\n`]).stream)));
      expect(r.error).toBeInstanceOf(AppError);
      expect((r.error as AppError).message).toMatch(/^failed: invalid NDJSON at line 2/);
    });
  }

  it('pulled slowly: items of the last read still queued when the body ends are handed out first', async () => {
    const { stream } = body([lines({ n: 1 }, { n: 2 }, { n: 3 })]);
    const s = new OllamaChunkStream(source(stream));
    expect(await s.next()).toEqual({ done: false, value: 1 });
    for (let k = 0; k < 3; k++) await new Promise((r) => setImmediate(r)); // the end comes meanwhile
    expect(await pulled(s)).toMatchObject({
      items: [2, 3],
      error: { message: 'closed before the final chunk' },
    });
  });

  it('return() settles a pull that waits for the body', async () => {
    const { stream } = body([lines({ n: 1 }), lines({ n: 2, done: true })]);
    const s = new OllamaChunkStream(source(stream));
    expect(await s.next()).toEqual({ done: false, value: 1 });
    const pending = s.next();
    await s.return();
    expect(await pending).toEqual({ done: true, value: undefined });
  });

  it('pushes what is left after a few pulls, in order', async () => {
    const { stream } = body([lines({ n: 1 }, { n: 2 }, { n: 3 }), lines({ n: 4, done: true })]);
    const s = new OllamaChunkStream(source(stream));
    expect(await s.next()).toEqual({ done: false, value: 1 });
    expect(await pushed(s)).toEqual({ items: [2, 3, 4] });
  });

  it('return() stops reading and cancels the body; nothing more is handed out', async () => {
    const { stream, state } = body([lines({ n: 1 }, { n: 2 }), lines({ n: 3, done: true })]);
    const s = new OllamaChunkStream(source(stream));
    expect(await s.next()).toEqual({ done: false, value: 1 });
    expect(await s.return()).toEqual({ done: true, value: undefined });
    expect(state.cancelled).toBe(true);
    expect(await s.next()).toEqual({ done: true, value: undefined });
  });

  it('a subscriber that throws stops the stream and gets its error at the end', async () => {
    const { stream, state } = body([lines({ n: 1 }), lines({ n: 2, done: true })]);
    const s = new OllamaChunkStream(source(stream));
    const boom = new Error('subscriber failed');
    const error = await new Promise((resolve) =>
      s.subscribe({
        item: () => {
          throw boom;
        },
        end: resolve,
      }),
    );
    expect(error).toBe(boom);
    expect(state.cancelled).toBe(true);
  });

  it('a request that cannot be sent fails when read', async () => {
    const s = new OllamaChunkStream<number>({
      ...source(body([]).stream),
      open: () => Promise.reject(new AppError('upstream_unavailable', 'connection refused')),
    });
    await expect(s.next()).rejects.toMatchObject({ message: 'connection refused' });
    expect(await s.next()).toEqual({ done: true, value: undefined });
  });
});
