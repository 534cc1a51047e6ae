import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { takePushBody, type BodyListener, type PushBody } from '../lib/push-body.ts';
import { httpFetch } from './http-fetch.ts';

/** the last server started; every one is closed after its test */
let server: Server | undefined;
const servers: Server[] = [];

async function serve(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<string> {
  server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  server = undefined;
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    if (s.listening) await new Promise((r) => s.close(r));
  }
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
    await expect(httpFetch(`${url}/x`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  describe('its body taken as a PushBody', () => {
    /** what a listener heard: the chunks as text, then 'end' or the error */
    function listen(body: PushBody): { heard: string[]; settled: Promise<void> } {
      const heard: string[] = [];
      const utf8 = new TextDecoder();
      const settled = new Promise<void>((resolve) => {
        const listener: BodyListener = {
          data: (b) => heard.push(utf8.decode(b)),
          end: () => resolve(void heard.push('end')),
          error: (e) => resolve(void heard.push(`error ${(e as { code?: string }).code}`)),
        };
        body.listen(listener);
      });
      return { heard, settled };
    }

    /** an Ollama-like stream: a line, then the last line, then (after `endAfterMs`) the body's end */
    async function ollamaLike(
      endAfterMs: number,
    ): Promise<{ url: string; connections: () => number; ended: () => number }> {
      let connections = 0;
      let ended = 0;
      const url = await serve((req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'application/x-ndjson' });
        res.write('{"n":1}\n');
        setImmediate(() => {
          res.write('{"done":true}\n');
          setTimeout(() => res.end(() => ended++), endAfterMs);
        });
      });
      server!.on('connection', () => connections++);
      return { url, connections: () => connections, ended: () => ended };
    }

    it('delivers the chunks only once resumed, then the end, and the web body is not read', async () => {
      const { url } = await ollamaLike(0);
      const res = await httpFetch(`${url}/api/chat`, { method: 'POST', body: '{}' });
      const body = takePushBody(res)!;
      expect(takePushBody(res)).toBeUndefined(); // once only
      const { heard, settled } = listen(body);
      await new Promise((r) => setImmediate(r));
      expect(heard).toEqual([]); // paused until resumed
      body.resume();
      await settled;
      expect(heard.join('')).toBe('{"n":1}\n{"done":true}\nend');
      // its web body is not read, and reading it is an error
      await expect(res.text()).rejects.toThrow(/taken as a PushBody/);
    });

    it('is not offered once the web body is being read', async () => {
      const { url } = await ollamaLike(0);
      const res = await httpFetch(`${url}/api/chat`, { method: 'POST', body: '{}' });
      const reader: ReadableStreamDefaultReader<Uint8Array> = res.body!.getReader();
      expect(takePushBody(res)).toBeUndefined();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('{"n":1}');
      await reader.cancel();
    });

    it('released after the last line, it keeps the connection for the next request, even when the end comes later', async () => {
      const { url, connections, ended } = await ollamaLike(5);
      for (let i = 0; i < 3; i++) {
        const body = takePushBody(await httpFetch(`${url}/api/chat`, { method: 'POST', body: '{}' }))!;
        await new Promise<void>((resolve) => {
          body.listen({
            data: (b) => {
              if (new TextDecoder().decode(b).includes('done')) {
                body.release();
                resolve();
              }
            },
            end: () => resolve(),
            error: () => resolve(),
          });
          body.resume();
        });
        // the next request comes once the body has ended (and the client read its end)
        await vi.waitFor(() => expect(ended()).toBe(i + 1));
        await new Promise((r) => setImmediate(r));
      }
      expect(connections()).toBe(1);
    });

    it('cancelled, it closes the connection; a connection lost mid-body is a network failure', async () => {
      const { url, connections } = await ollamaLike(60_000);
      const first = takePushBody(await httpFetch(`${url}/a`))!;
      const { heard } = listen(first);
      first.resume();
      await vi.waitFor(() => expect(heard.length).toBeGreaterThan(0));
      first.cancel();
      await httpFetch(`${url}/b`);
      expect(connections()).toBe(2);
      expect(heard).not.toContain('end');

      const lost = await serve((req, res) => {
        res.writeHead(200);
        res.write('{"a":1}\n', () => req.socket.destroy());
      });
      const { heard: lostHeard, settled } = listen(takePushBody(await httpFetch(`${lost}/x`))!);
      await settled;
      expect(lostHeard.at(-1)).toBe('error ECONNRESET');
    });
  });
});
