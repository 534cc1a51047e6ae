// The chat path's direct reads of node:http's request: headers as fetch gives them, and a body
// taken from the buffer only when all of it is there (otherwise read the usual way, and the same
// JSON either way).
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { Readable } from 'node:stream';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors/index.ts';
import { bufferedBody, headerReader } from './node-request.ts';
import { readJsonBody } from './read-json-body.ts';

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** a server that hands each request, after one await (as a handler sees it), to `inspect` */
async function serverSeeing(inspect: (req: IncomingMessage) => Promise<unknown>) {
  const seen: unknown[] = [];
  const http = createServer((req, res) => {
    void (async () => {
      await Promise.resolve();
      seen.push(await inspect(req).catch((e: unknown) => e));
      res.end('ok');
    })();
  });
  servers.push(http);
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  return { port: (http.address() as AddressInfo).port, seen };
}

/** writes a request with `body` split into `parts` written `gapMs` apart; resolves with the answer */
async function send(port: number, head: string, parts: string[], gapMs = 20): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (b: Buffer) => chunks.push(b));
  const ended = new Promise<void>((r) => socket.once('end', r));
  socket.write(head + (parts[0] ?? ''));
  for (const part of parts.slice(1)) {
    await new Promise((r) => setTimeout(r, gapMs));
    socket.write(part);
  }
  await ended;
  return Buffer.concat(chunks).toString('utf8');
}

const headOf = (length: number, extra = ''): string =>
  `POST /x HTTP/1.1\r\nhost: t\r\ncontent-type: application/json\r\n${extra}` +
  `content-length: ${length}\r\nconnection: close\r\n\r\n`;

/** the web Request over the same message, as @hono/node-server gives it (read when the buffer is not used) */
const webOf = (req: IncomingMessage): Request => {
  // `duplex` is required for a stream body and missing from the DOM typings
  const init: RequestInit & { duplex: 'half' } = {
    method: 'POST',
    body: Readable.toWeb(req) as ReadableStream<Uint8Array>,
    duplex: 'half',
  };
  return new Request('http://t/x', init);
};

describe('node-request', () => {
  it('reads headers from the incoming message as fetch gives them', async () => {
    const { port, seen } = await serverSeeing((req) => {
      const header = headerReader(webOf(req), req);
      return Promise.resolve([header('x-orchestra-agent'), header('x-missing'), header('content-length')]);
    });
    await send(port, headOf(2, 'x-orchestra-agent: planner\r\n'), ['{}']);
    expect(seen).toEqual([['planner', undefined, '2']]);
  });

  it('takes a body that arrived with the headers from the buffer, and leaves one still arriving', async () => {
    const body = JSON.stringify({ model: 'coder', messages: [{ role: 'user', content: 'h\u00e9llo' }] });
    const { port, seen } = await serverSeeing(async (req) => {
      const declared = Number(req.headers['content-length']);
      const buffered = bufferedBody(req, declared);
      // the stream stays consistent: it ends once the body was taken, and cannot be read twice
      if (buffered) await new Promise((r) => req.once('end', r));
      return [buffered?.toString('utf8'), bufferedBody(req, declared)];
    });
    const bytes = Buffer.byteLength(body);
    await send(port, headOf(bytes), [body]);
    await send(port, headOf(bytes), [body.slice(0, 10), body.slice(10)]);
    expect(seen).toEqual([
      [body, undefined],
      [undefined, undefined],
    ]);
  });

  it('gives the same JSON through the buffer, through the stream, and through a web Request', async () => {
    const value = { model: 'coder', messages: [{ role: 'user', content: 'x'.repeat(3000) }] };
    const body = JSON.stringify(value);
    const limit = 1_000_000;
    const { port, seen } = await serverSeeing((req) => readJsonBody(webOf(req), limit, req));
    const bytes = Buffer.byteLength(body);
    await send(port, headOf(bytes), [body]);
    await send(port, headOf(bytes), [body.slice(0, 100), body.slice(100, 2000), body.slice(2000)]);
    const web = await readJsonBody(
      new Request('http://t/x', { method: 'POST', body, headers: { 'content-length': String(bytes) } }),
      limit,
    );
    expect(seen).toEqual([value, value]);
    expect(web).toEqual(value);
  });

  it('refuses a declared length over the limit before reading, and broken JSON, in the API error', async () => {
    const { port, seen } = await serverSeeing((req) => readJsonBody(webOf(req), 10, req));
    await send(port, headOf(12), ['{"a":"1234"}']);
    const bad = await serverSeeing((req) => readJsonBody(webOf(req), 100, req));
    await send(bad.port, headOf(5), ['{"a":']);
    expect(seen[0]).toBeInstanceOf(AppError);
    expect((seen[0] as AppError).code).toBe('payload_too_large');
    expect((bad.seen[0] as AppError).code).toBe('bad_request');
    expect((bad.seen[0] as AppError).message).toMatch(/^body: invalid JSON/);
  });
});
