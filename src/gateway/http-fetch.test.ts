import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { httpFetch } from './http-fetch.ts';

let server: Server | undefined;

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  const s = server;
  server = undefined;
  if (!s) return;
  s.closeAllConnections();
  await new Promise((r) => s.close(r));
});

const bodyOf = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (text += c));
    req.on('end', () => resolve(text));
  });

describe('httpFetch', () => {
  it('sends method, headers and body, and streams the response body chunk by chunk', async () => {
    const url = await serve((req, res) => {
      void bodyOf(req).then((body) => {
        res.writeHead(201, {
          'content-type': 'application/x-ndjson',
          'x-seen': `${req.method} ${String(req.headers['x-a'])}`,
        });
        res.write(`{"echo":${body}}\n`);
        res.end('{"done":true}\n');
      });
    });
    const res = await httpFetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'x-a': 'b', 'content-type': 'application/json' },
      body: '{"n":1}',
    });
    expect(res.status).toBe(201);
    expect(res.ok).toBe(true);
    expect(res.headers.get('x-seen')).toBe('POST b');
    expect(await res.text()).toBe('{"echo":{"n":1}}\n{"done":true}\n');
  });

  it('sends each URL to its own path and query, however often the same URLs come back', async () => {
    const url = await serve((req, res) => res.end(`${req.headers.host} ${req.url}`));
    const host = url.slice('http://'.length);
    const paths = ['/api/chat', '/api/ps', '/api/chat?x=1&y=%20', '/api/chat'];
    const seen = [];
    for (const path of [...paths, ...paths]) seen.push(await (await httpFetch(`${url}${path}`)).text());
    expect(seen).toEqual([...paths, ...paths].map((p) => `${host} ${p}`));
  });

  it('gives error statuses and their bodies as fetch does', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"model not found"}');
    });
    const res = await httpFetch(`${url}/api/chat`, { method: 'POST', body: '{}' });
    expect(res.ok).toBe(false);
    expect(await res.json()).toEqual({ error: 'model not found' });
  });

  it('rejects with the signal reason when aborted before the response', async () => {
    const url = await serve(() => {}); // never answers
    const ctrl = new AbortController();
    const reason = new Error('stop');
    const p = httpFetch(`${url}/x`, { method: 'POST', body: '{}', signal: ctrl.signal });
    ctrl.abort(reason);
    await expect(p).rejects.toBe(reason);
    await expect(httpFetch(`${url}/x`, { signal: ctrl.signal })).rejects.toBe(reason);
  });

  it('errors the body with the signal reason when aborted mid-stream', async () => {
    const url = await serve((_req, res) => {
      res.writeHead(200);
      res.write('{"a":1}\n');
    });
    const ctrl = new AbortController();
    const res = await httpFetch(`${url}/x`, { signal: ctrl.signal });
    const reader: ReadableStreamDefaultReader<Uint8Array> = res.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('{"a":1}\n');
    const reason = new Error('client gone');
    ctrl.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
  });

  it('reports a connection lost mid-body as a network failure', async () => {
    const url = await serve((req, res) => {
      res.writeHead(200);
      res.write('{"a":1}\n', () => req.socket.destroy());
    });
    const res = await httpFetch(`${url}/x`);
    await expect(res.text()).rejects.toMatchObject({ code: 'ECONNRESET' });
  });

  it('rejects with the socket error code when nothing listens', async () => {
    const url = await serve(() => {});
    await new Promise((r) => server!.close(r));
    server = undefined;
    await expect(httpFetch(`${url}/x`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
