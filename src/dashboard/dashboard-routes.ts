// The dashboard under /ui: the frontend's files (no key: they hold no data), and its API under
// /ui/api (the master key when keys are configured, as /admin/queue): the whole state, the live
// event stream (server-sent events read with fetch, so the key travels in a header, never in the
// URL), a run's detail and the answer to a waiting run.
import type { Hono } from 'hono';
import { AppError, toAppError } from '../core/errors/index.ts';
import { errorResponse } from '../gateway/api-face.ts';
import { assertAdmin, presentedKey, type Authenticator } from '../gateway/authenticator.ts';
import type { Clock } from '../lib/clock.ts';
import { formatSSE, sseComment } from '../lib/sse.ts';
import type { DashboardHub, HubMessage } from './dashboard-hub.ts';
import type { RunSource } from './run-source.ts';
import { loadAssets, type Asset } from './ui-assets.ts';

export interface DashboardRouteOptions {
  hub: DashboardHub;
  auth: Authenticator;
  clock: Clock;
  runs?: RunSource;
  /** ms between keep-alive comments on the event stream (default 15 000) */
  keepAliveMs?: number;
}

/** a page that reads slower than this many queued events is dropped; it reconnects for the state */
const MAX_QUEUED_EVENTS = 500;

// the pages run no inline script or style and talk only to this origin
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

export function dashboardRoutes(app: Hono, o: DashboardRouteOptions): void {
  const assets = loadAssets();
  const serve = (asset: Asset, req: Request): Response =>
    req.headers.get('if-none-match') === asset.etag
      ? new Response(null, { status: 304, headers: { etag: asset.etag } })
      : new Response(asset.body, {
          headers: {
            'content-type': asset.type,
            etag: asset.etag,
            'cache-control': 'no-cache',
            ...SECURITY_HEADERS,
          },
        });
  const index = assets.get('index.html')!;
  app.get('/ui', (c) => serve(index, c.req.raw));
  app.get('/ui/', (c) => serve(index, c.req.raw));
  app.get('/ui/static/:path{.+}', (c) => {
    const asset = assets.get(c.req.param('path'));
    if (!asset)
      return errorResponse('openai', new AppError('not_found', `no dashboard file ${c.req.param('path')}`));
    return serve(asset, c.req.raw);
  });

  /** the admin check of /admin/queue: the error response, or undefined when the caller may read */
  const refused = async (req: Request): Promise<Response | undefined> => {
    try {
      assertAdmin(await o.auth.authenticate(presentedKey((n) => req.headers.get(n) ?? undefined)));
      return undefined;
    } catch (e) {
      return errorResponse('openai', toAppError(e));
    }
  };

  // The sign-in check answers 200 either way, saying whether the key would be let in: a browser
  // logs every 401 of a fetch as a console error, which a sign-in form would then produce by design.
  // Every other /ui/api route refuses with 401/403 as the gateway does.
  app.post('/ui/api/session', async (c) => {
    const no = await refused(c.req.raw);
    if (!no) return c.json({ ok: true, open: o.auth.open }, 200, NO_STORE);
    if (no.status === 429) return no;
    const body = (await no.json()) as { error?: { message?: string } };
    return c.json({ ok: false, status: no.status, error: body.error?.message ?? 'refused' }, 200, NO_STORE);
  });

  app.get('/ui/api/state', async (c) => (await refused(c.req.raw)) ?? c.json(o.hub.state(), 200, NO_STORE));

  app.get('/ui/api/events', async (c) => (await refused(c.req.raw)) ?? eventStream(o, c.req.raw.signal));

  app.get('/ui/api/runs/:id', async (c) => {
    const no = await refused(c.req.raw);
    if (no) return no;
    try {
      const run = runsOf(o).get(c.req.param('id'));
      if (!run) throw new AppError('not_found', `no run ${c.req.param('id')}`);
      return c.json(run, 200, NO_STORE);
    } catch (e) {
      return errorResponse('openai', toAppError(e));
    }
  });

  app.post('/ui/api/runs/:id/answer', async (c) => {
    const no = await refused(c.req.raw);
    if (no) return no;
    try {
      const body: unknown = await c.req.json().catch(() => undefined);
      const text = (body as { text?: unknown } | undefined)?.text;
      if (typeof text !== 'string' || text.trim() === '')
        throw new AppError('bad_request', 'expected {"text": "your answer"} with a non-empty text', {
          path: 'text',
        });
      const result = await runsOf(o).answer(c.req.param('id'), text);
      return c.json({ ok: true, ...result }, 200, NO_STORE);
    } catch (e) {
      return errorResponse('openai', toAppError(e));
    }
  });
}

const NO_STORE = { 'cache-control': 'no-store' };

function runsOf(o: DashboardRouteOptions): RunSource {
  if (!o.runs)
    throw new AppError(
      'not_found',
      'this gateway has no run store (runs are served when the runner is wired in)',
    );
  return o.runs;
}

function eventStream(o: DashboardRouteOptions, signal: AbortSignal): Response {
  const encoder = new TextEncoder();
  let stop = (): void => {};
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      let disconnect = (): void => {};
      let cancelPing = (): void => {};
      let ended = false;
      stop = () => {
        if (ended) return;
        ended = true;
        disconnect();
        cancelPing();
        signal.removeEventListener('abort', stop);
      };
      const write = (text: string): void => {
        if (ended) return;
        if ((controller.desiredSize ?? 0) < -MAX_QUEUED_EVENTS) {
          stop();
          controller.close();
          return;
        }
        controller.enqueue(encoder.encode(text));
      };
      const ping = (): void => {
        write(sseComment('keep-alive'));
        cancelPing = o.clock.timer(o.keepAliveMs ?? 15_000, ping);
      };
      signal.addEventListener('abort', stop, { once: true });
      disconnect = o.hub.connect((m: HubMessage) =>
        write(formatSSE({ event: m.event, data: JSON.stringify(m.data) })),
      );
      cancelPing = o.clock.timer(o.keepAliveMs ?? 15_000, ping);
    },
    cancel() {
      stop();
    },
  });
  return new Response(body, {
    headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', 'x-accel-buffering': 'no' },
  });
}
