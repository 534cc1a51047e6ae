// Streamed answers on real sockets: written straight to the node:http response (the gateway under
// @hono/node-server) they must put the same bytes on the wire as through a web stream (the app
// called without the node response), and a client that goes away must still cancel the request.
import { serve, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import type { Server, ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import type { ChatEvent } from '../core/chat.ts';
import { ManualClock, settle } from '../lib/clock.ts';
import { sequentialIds } from '../lib/ids.ts';
import { openUsageStore } from '../store/index.ts';
import { createGateway } from './app.ts';
import { fakeScheduler, scriptedBackends, testFleet, type ScriptStep } from './testing/fakes.ts';

const servers: Server[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const done: ChatEvent = {
  type: 'done',
  finishReason: 'stop',
  usage: { inputTokens: 5, outputTokens: 3 },
  timings: { totalMs: 20, loadMs: 0, prefillMs: 10, decodeMs: 10 },
};

/** a reply whose first content comes after `firstAfterMs` of the manual clock */
function reply(firstAfterMs: number): ScriptStep[] {
  return [
    { event: { type: 'start', model: 'big' } },
    { after: firstAfterMs, event: { type: 'text', delta: 'Hello' } },
    { event: { type: 'text', delta: ' wide "world"' } },
    { event: { type: 'text', delta: ' \u00e9\u{1F600}' } },
    { event: done },
  ];
}

/** one gateway on a socket; `direct`: @hono/node-server's env reaches the app (the node path) */
async function gatewayOnSocket(
  direct: boolean,
  script: ScriptStep[],
  fleet = testFleet(),
  storePath = ':memory:',
) {
  const clock = new ManualClock(1_700_000_000_000);
  const scheduler = fakeScheduler(clock, fleet);
  const backends = scriptedBackends(clock, () => script);
  const store = openUsageStore(storePath);
  const gw = createGateway({ fleet, clock, scheduler, backends, store, env: {}, ids: sequentialIds() });
  /** what the body writes to the node response were: text (the direct path) or bytes (web stream) */
  const writes: string[] = [];
  /** leases released when each response ended */
  const releasedAtEnd: number[] = [];
  /** usage rows in the store's file (read by a connection of its own) when each response ended */
  const rowsAtEnd: number[] = [];
  const fetch = (req: Request, env: HttpBindings | Http2Bindings) => {
    const out = env.outgoing as ServerResponse;
    const write = out.write.bind(out) as (...a: unknown[]) => boolean;
    (out as { write: (...a: unknown[]) => boolean }).write = (...a) => {
      writes.push(typeof a[0]);
      return write(...a);
    };
    const end = out.end.bind(out) as (...a: unknown[]) => ServerResponse;
    (out as { end: (...a: unknown[]) => ServerResponse }).end = (...a) => {
      releasedAtEnd.push(scheduler.releases.length);
      if (storePath !== ':memory:') {
        const db = new DatabaseSync(storePath, { readOnly: true });
        rowsAtEnd.push(Number((db.prepare('SELECT COUNT(*) AS n FROM requests').get() as { n: number }).n));
        db.close();
      }
      return end(...a);
    };
    return direct ? gw.app.fetch(req, env) : gw.app.fetch(req);
  };
  const http = serve({ fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  servers.push(http);
  await new Promise<void>((r) => http.once('listening', r));
  const port = (http.address() as AddressInfo).port;
  return { clock, scheduler, backends, store, writes, releasedAtEnd, rowsAtEnd, port };
}

function rawPost(port: number, path: string, body: unknown): { socket: Socket; response: Promise<string> } {
  const text = JSON.stringify(body);
  const socket = connect(port, '127.0.0.1');
  socket.write(
    `POST ${path} HTTP/1.1\r\nhost: gw\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(text)}\r\nconnection: close\r\n\r\n${text}`,
  );
  const chunks: Buffer[] = [];
  socket.on('data', (b: Buffer) => chunks.push(b));
  const response = new Promise<string>((resolve, reject) => {
    socket.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.once('error', reject);
  });
  return { socket, response };
}

/** the response with its Date header (the one part that differs from run to run) blanked */
const withoutDate = (raw: string): string => raw.replace(/^date: .*$/im, 'date: -');

/** sends one request and drives the manual clock (keep-alives every 10 s) until the answer ends */
async function exchange(direct: boolean, path: string, body: unknown, firstAfterMs: number) {
  const g = await gatewayOnSocket(direct, reply(firstAfterMs));
  const { response } = rawPost(g.port, path, body);
  let ended = false;
  void response.then(() => (ended = true));
  while (!ended) {
    await new Promise((r) => setTimeout(r, 1));
    await g.clock.advance(5_000);
  }
  return { raw: withoutDate(await response), writes: g.writes };
}

const requests: Array<[face: string, path: string, body: unknown]> = [
  [
    'openai',
    '/v1/chat/completions',
    {
      model: 'coder',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
    },
  ],
  [
    'anthropic',
    '/v1/messages',
    { model: 'coder', stream: true, max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] },
  ],
  ['ollama', '/api/chat', { model: 'coder', messages: [{ role: 'user', content: 'hi' }] }],
];

describe('streamed answers on a socket', () => {
  for (const [face, path, body] of requests)
    for (const [when, firstAfterMs] of [
      ['at once', 0],
      ['after keep-alives', 25_000],
    ] as const)
      it(`${face}, first content ${when}: the same bytes written directly as through a web stream`, async () => {
        const viaWebStream = await exchange(false, path, body, firstAfterMs);
        const direct = await exchange(true, path, body, firstAfterMs);
        expect(new Set(viaWebStream.writes)).toEqual(new Set(['object']));
        expect(new Set(direct.writes)).toEqual(new Set(['string']));
        expect(viaWebStream.raw).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
        expect(viaWebStream.raw).toContain('Hello');
        expect(viaWebStream.raw).toMatch(/\r\n0\r\n\r\n$/);
        expect(direct.raw).toBe(viaWebStream.raw);
      });

  it('ends an answer only once its usage row is committed to the file, streamed or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orchestra-sink-'));
    dirs.push(dir);
    const g = await gatewayOnSocket(true, reply(0), testFleet(), join(dir, 'usage.sqlite'));
    const raw = await rawPost(g.port, '/v1/chat/completions', requests[0]![2]).response;
    expect(raw).toContain('data: [DONE]');
    const whole = await rawPost(g.port, '/v1/chat/completions', {
      model: 'coder',
      messages: [{ role: 'user', content: 'hi' }],
    }).response;
    expect(whole).toMatch(/^HTTP\/1\.1 200 /);
    // a gateway killed the instant after either end would still have counted it
    expect(g.rowsAtEnd).toEqual([1, 2]);
    for (let i = 0; i < 50 && g.scheduler.releases.length < 2; i++) await settle();
    expect(g.scheduler.releases).toEqual([
      expect.objectContaining({ outcome: expect.objectContaining({ ok: true }) }),
      expect.objectContaining({ outcome: expect.objectContaining({ ok: true }) }),
    ]);
    g.store.close();
  });

  it('serves a model named outside Latin-1, its name percent-encoded in the header', async () => {
    // HTTP headers carry Latin-1 only: the raw name in x-orchestra-model failed the whole response
    const fleet = testFleet({
      models: [{ name: '\u6a21\u578b', memoryGiB: 10, contextTokens: 1000, servers: ['local'] }],
      aliases: { coder: ['\u6a21\u578b'] },
    });
    const g = await gatewayOnSocket(true, reply(0), fleet);
    const raw = await rawPost(g.port, '/v1/chat/completions', requests[0]![2]).response;
    expect(raw).toMatch(/^HTTP\/1\.1 200 /);
    expect(raw).toMatch(/^x-orchestra-model: %E6%A8%A1%E5%9E%8B\r$/im);
    expect(raw).toContain('data: [DONE]');
    for (let i = 0; i < 50 && g.scheduler.releases.length === 0; i++) await settle();
    expect(g.scheduler.releases).toHaveLength(1);
    const whole = { model: 'coder', messages: [{ role: 'user', content: 'hi' }] };
    const answered = await rawPost(g.port, '/v1/chat/completions', whole).response;
    expect(answered).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('a client that goes away mid-stream cancels the request and frees its lease', async () => {
    const steps = reply(0);
    steps.splice(2, 0, { after: 60_000 }); // the stream stalls after its first content
    const g = await gatewayOnSocket(true, steps);
    const { socket, response } = rawPost(g.port, '/v1/chat/completions', requests[0]![2]);
    void response.catch(() => {});
    const first = new Promise<void>((r) =>
      socket.on('data', (b: Buffer) => b.toString().includes('Hello') && r()),
    );
    await first;
    socket.destroy();
    for (let i = 0; i < 50 && g.scheduler.releases.length === 0; i++) await settle();
    expect(g.backends.calls[0]!.signal.aborted).toBe(true);
    expect(g.scheduler.releases).toEqual([
      expect.objectContaining({ outcome: { ok: false, cancelled: true } }),
    ]);
    expect(g.store.recent(1)[0]).toMatchObject({ errorCode: 'cancelled', status: 499 });
  });
});
