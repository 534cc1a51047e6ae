// OllamaClient over real sockets (node:http on 127.0.0.1, port 0): checks the error mapping
// against real errors for refused connections, resets mid-stream and aborts, with undici's fetch
// and with the gateway's (whose streamed bodies are read as a PushBody).
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../core/errors/index.ts';
import { httpFetch } from '../gateway/http-fetch.ts';
import { OllamaClient } from './ollama-client.ts';

const created_at = '2025-01-01T00:00:00Z';
const line = (content: string, done = false): string =>
  JSON.stringify({
    model: 'm',
    created_at,
    message: { role: 'assistant', content },
    done,
    ...(done ? { done_reason: 'stop', eval_count: 1 } : {}),
  }) + '\n';

let server: Server;
let base: string;
const open = new Set<ServerResponse>();
let hangClosed: Promise<void> = Promise.resolve();

beforeAll(async () => {
  server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    if (req.url === '/api/chat' && req.headers['x-scenario'] === 'reset') {
      res.write(line('partial'));
      setImmediate(() => res.socket?.destroy());
    } else if (req.headers['x-scenario'] === 'hang') {
      hangClosed = new Promise<void>((r) => res.on('close', () => r()));
      res.write(line('partial'));
    } else {
      res.write(line('a'));
      res.end(line('', true));
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const res of open) res.socket?.destroy();
  await new Promise<void>((r) => server.close(() => r()));
});

async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const fetches: [string, typeof globalThis.fetch][] = [
  ['undici', (input, init) => globalThis.fetch(input, init)],
  ['http-fetch', httpFetch],
];

describe.each(fetches)('OllamaClient over real sockets, with %s', (_name, fetch) => {
  const client = (scenario?: string): OllamaClient =>
    new OllamaClient({
      baseUrl: base,
      fetch,
      ...(scenario === undefined ? {} : { headers: { 'x-scenario': scenario } }),
    });

  it('streams a chat', async () => {
    const chunks = [];
    for await (const c of client().chatStream({ model: 'm', messages: [] })) chunks.push(c);
    expect(chunks.map((c) => c.done)).toEqual([false, true]);
  });

  it('connection refused -> upstream_unavailable', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const e = await failure(new OllamaClient({ baseUrl: `http://127.0.0.1:${port}`, fetch }).version());
    expect(e.code).toBe('upstream_unavailable');
    expect(e.retryable).toBe(true);
  });

  it('connection reset mid-stream -> upstream_unavailable after the first chunk', async () => {
    const got: string[] = [];
    const e = await failure(
      (async () => {
        for await (const c of client('reset').chatStream({ model: 'm', messages: [] }))
          got.push(c.message.content);
      })(),
    );
    expect(got).toEqual(['partial']);
    expect(e.code).toBe('upstream_unavailable');
  });

  it('abort mid-stream -> cancelled, and the server sees the connection close', async () => {
    const ac = new AbortController();
    const e = await failure(
      (async () => {
        for await (const _c of client('hang').chatStream({ model: 'm', messages: [] }, { signal: ac.signal }))
          ac.abort();
      })(),
    );
    expect(e.code).toBe('cancelled');
    await hangClosed;
    expect(open.size).toBe(0);
  });
});
