// The dashboard's routes in process, in front of the emulator on a manual clock: the files with
// their security headers, the admin check, the sign-in check, and the live event stream.
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../lib/clock.ts';
import { createSSEParser, type SSEMessage } from '../lib/sse.ts';
import { readRun } from '../runner/run-log.ts';
import { openRunStore } from '../store/run-store.ts';
import { storeRunSource } from './store-run-source.ts';
import { QUESTION, writeWaitingRun } from './testing/waiting-run.ts';
import { BASE, gatewayHarness, type GatewayHarness } from '../../test/e2e/gateway-harness.ts';

const KEY = 'master-key-for-the-dashboard';
let h: GatewayHarness | undefined;
afterEach(() => {
  h?.close();
  h = undefined;
});

const auth = (key = KEY) => ({ authorization: `Bearer ${key}` });

async function chat(g: GatewayHarness, model: string): Promise<Response> {
  return g.until(
    g.fetch(`${BASE}/v1/chat/completions`, {
      method: 'POST',
      headers: { ...auth(), 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    }),
  );
}

/** reads events from an SSE body until `until` returns true for the collected ones */
async function readUntil(
  g: GatewayHarness,
  reader: ReadableStreamDefaultReader<Uint8Array>,
  until: (events: SSEMessage[]) => boolean,
  events: SSEMessage[] = [],
): Promise<SSEMessage[]> {
  const parser = createSSEParser();
  const decoder = new TextDecoder();
  while (!until(events)) {
    const next = reader.read();
    const { value, done } = await g.until(next, 100);
    if (done) break;
    events.push(...parser.push(decoder.decode(value)));
  }
  return events;
}

describe('dashboard routes', () => {
  it('serves the page and its modules without a key, under a strict content security policy', async () => {
    h = await gatewayHarness({ env: { ORCHESTRA_MASTER_KEY: KEY } });
    const page = await h.fetch(`${BASE}/ui`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    expect(html).toContain('/ui/static/app.js');
    const js = await h.fetch(`${BASE}/ui/static/app.js`);
    expect(js.headers.get('content-type')).toContain('text/javascript');
    const etag = js.headers.get('etag')!;
    expect((await h.fetch(`${BASE}/ui/static/app.js`, { headers: { 'if-none-match': etag } })).status).toBe(
      304,
    );
    const missing = await h.fetch(`${BASE}/ui/static/nope.js`);
    expect(missing.status).toBe(404);
  });

  it('lets only the master key read the state; the sign-in check says why a key is refused', async () => {
    h = await gatewayHarness({ env: { ORCHESTRA_MASTER_KEY: KEY } });
    expect((await h.fetch(`${BASE}/ui/api/state`)).status).toBe(401);
    expect((await h.fetch(`${BASE}/ui/api/state`, { headers: auth('wrong') })).status).toBe(401);
    expect((await h.fetch(`${BASE}/ui/api/events`, { headers: auth('wrong') })).status).toBe(401);
    const refused = await h.fetch(`${BASE}/ui/api/session`, { method: 'POST', headers: auth('wrong') });
    expect(await refused.json()).toEqual({ ok: false, status: 401, error: 'invalid API key' });
    const ok = await h.fetch(`${BASE}/ui/api/session`, { method: 'POST', headers: auth() });
    expect(await ok.json()).toEqual({ ok: true, open: false });
    const state = await h.fetch(`${BASE}/ui/api/state`, { headers: auth() });
    expect(state.status).toBe(200);
    const body = (await state.json()) as { fleet: { servers: Array<{ name: string }> }; runs?: unknown };
    expect(body.fleet.servers.map((s) => s.name)).toEqual(['alpha', 'beta']);
    expect(body.runs).toBeUndefined();
    const run = await h.fetch(`${BASE}/ui/api/runs/r1`, { headers: auth() });
    expect(run.status).toBe(404);
    expect(await run.text()).toContain('no run store');
  });

  it('streams the state, then the fleet and each request as they change', async () => {
    h = await gatewayHarness({ env: { ORCHESTRA_MASTER_KEY: KEY } });
    const g = h;
    const res = await g.fetch(`${BASE}/ui/api/events`, { headers: auth() });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const events = await readUntil(g, reader, (e) => e.some((m) => m.event === 'state'));
    const first = JSON.parse(events[0]!.data) as { requests: unknown[] };
    expect(first.requests).toEqual([]);
    expect((await chat(g, 'coder')).status).toBe(200);
    const after = await readUntil(g, reader, (e) => e.some((m) => m.event === 'requests'), []);
    const rows = after.filter((m) => m.event === 'requests').flatMap((m) => JSON.parse(m.data) as unknown[]);
    expect(rows).toEqual([
      expect.objectContaining({ alias: 'coder', model: 'qwen2.5-coder:32b', status: 200 }),
    ]);
    expect(after.some((m) => m.event === 'fleet')).toBe(true);
    const fleet = JSON.parse(after.filter((m) => m.event === 'fleet').at(-1)!.data) as {
      servers: Array<{ name: string; resident: string[] }>;
    };
    expect(fleet.servers.find((s) => s.name === 'alpha')!.resident).toEqual(['qwen2.5-coder:32b']);
    await reader.cancel();
  });

  it('shows a run of the run store and answers it once, with the gateway error shape otherwise', async () => {
    const store = openRunStore(':memory:');
    writeWaitingRun(store, 'run-1', Date.UTC(2026, 0, 1));
    const resumed: string[] = [];
    const runs = storeRunSource(store, new ManualClock(Date.UTC(2026, 0, 1)), {
      resume: (id) => (resumed.push(id), { pid: 99, logFile: `/logs/${id}.resume.log` }),
    });
    h = await gatewayHarness({ env: { ORCHESTRA_MASTER_KEY: KEY }, runs });
    const post = (id: string, body: unknown, key = KEY) =>
      h!.fetch(`${BASE}/ui/api/runs/${id}/answer`, {
        method: 'POST',
        headers: { ...auth(key), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const state = (await (await h.fetch(`${BASE}/ui/api/state`, { headers: auth() })).json()) as {
      runs: Array<{ id: string; state: string; question?: string }>;
    };
    expect(state.runs).toEqual([
      expect.objectContaining({ id: 'run-1', state: 'waiting', question: QUESTION }),
    ]);
    const detail = await h.fetch(`${BASE}/ui/api/runs/run-1`, { headers: auth() });
    expect(((await detail.json()) as { agentsList: unknown[] }).agentsList).toHaveLength(2);
    expect((await h.fetch(`${BASE}/ui/api/runs/nope`, { headers: auth() })).status).toBe(404);
    expect((await post('run-1', { text: 'port 8080' }, 'wrong')).status).toBe(401);
    const empty = await post('run-1', { text: '  ' });
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toContain(
      'non-empty text',
    );
    expect(resumed).toEqual([]);
    const ok = await post('run-1', { text: 'port 8080' });
    expect(await ok.json()).toEqual({ ok: true, resumed: { pid: 99, logFile: '/logs/run-1.resume.log' } });
    expect(readRun(store, 'run-1').view.agents.implementer!.answers).toEqual(['port 8080']);
    const again = await post('run-1', { text: 'port 9090' });
    expect(again.status).toBe(400);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain(
      'not waiting for an answer',
    );
    expect(resumed).toEqual(['run-1']);
    store.close();
  });
});
