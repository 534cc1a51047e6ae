import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NdjsonDecoder, NdjsonError, encodeNdjson } from './ndjson.ts';

function streamOf(chunks: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(ch);
      c.close();
    },
  });
}

function split(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const p of [...points, bytes.length]) {
    out.push(bytes.slice(prev, p));
    prev = p;
  }
  return out;
}

/** every value of the stream, pushed read by read into one decoder */
async function collect(s: ReadableStream<Uint8Array>): Promise<unknown[]> {
  const decoder = new NdjsonDecoder();
  const out: unknown[] = [];
  for await (const bytes of s) out.push(...decoder.push(bytes));
  out.push(...decoder.end());
  return out;
}

const enc = new TextEncoder();

describe('NdjsonDecoder', () => {
  it('parses any split of the bytes into the same values (multi-byte characters included)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (values, cuts) => {
          const text = values.map((v) => JSON.stringify(v) + '\n').join('');
          const got = await collect(streamOf(split(enc.encode(text), cuts)));
          expect(got).toEqual(values.map((v) => JSON.parse(JSON.stringify(v)) as unknown));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('splits a chunk inside a multi-byte UTF-8 character', async () => {
    const bytes = enc.encode('{"t":"héllo 🦙"}\n');
    const at = bytes.indexOf(0xf0) + 2;
    expect(await collect(streamOf([bytes.slice(0, at), bytes.slice(at)]))).toEqual([{ t: 'héllo 🦙' }]);
  });

  it('accepts CRLF, blank lines and a last line without newline', async () => {
    expect(await collect(streamOf([enc.encode('{"a":1}\r\n\n  \n{"b":2}')]))).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('yields nothing for an empty stream', async () => {
    expect(await collect(streamOf([]))).toEqual([]);
  });

  it('names the bad line and its number', async () => {
    const err = await collect(streamOf([enc.encode('{"a":1}\n{"b":\n')])).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NdjsonError);
    expect((err as NdjsonError).line).toBe(2);
    expect((err as NdjsonError).message).toMatch(/line 2.*\{"b":/);
  });

  it('rejects a truncated last line', async () => {
    await expect(collect(streamOf([enc.encode('{"a":1}\n{"b":2')]))).rejects.toThrow(/line 2/);
  });

  it('gives each push the values it completes, and nothing twice', () => {
    const d = new NdjsonDecoder();
    expect(d.push(enc.encode('{"a":1}\n{"b"'))).toEqual([{ a: 1 }]);
    expect(d.push(enc.encode(':2}\n\n{"c":3}\n'))).toEqual([{ b: 2 }, { c: 3 }]);
    expect(d.push(enc.encode(''))).toEqual([]);
    expect(d.end()).toEqual([]);
  });

  it('round-trips through encodeNdjson', async () => {
    async function* src() {
      for (const v of [{ a: 1 }, 'two', [3]]) yield await Promise.resolve(v);
    }
    expect(await collect(encodeNdjson(src()))).toEqual([{ a: 1 }, 'two', [3]]);
  });
});
