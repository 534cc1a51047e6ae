// Operations: GET /health (liveness, no model call, no auth), GET /ready (the scheduler answers and
// at least one server is usable), GET /metrics (Prometheus), GET /admin/queue (master key).
import type { Hono } from 'hono';
import { toAppError } from '../../core/errors/index.ts';
import { errorResponse } from '../api-face.ts';
import { assertAdmin, presentedKey } from '../authenticator.ts';
import type { GatewayServices } from '../gateway-services.ts';

export interface ReadinessCheck {
  /** true when the gateway can serve; reasons when not */
  (): Promise<{ ready: boolean; reasons: string[] }>;
}

export function opsRoutes(app: Hono, s: GatewayServices, readiness?: ReadinessCheck): void {
  app.get('/health', (c) => c.json({ status: 'ok' }));

  app.get('/ready', async (c) => {
    try {
      s.scheduler.snapshot();
      const r = readiness ? await readiness() : { ready: true, reasons: [] };
      return c.json({ status: r.ready ? 'ready' : 'not ready', reasons: r.reasons }, r.ready ? 200 : 503);
    } catch (e) {
      return c.json({ status: 'not ready', reasons: [toAppError(e).message] }, 503);
    }
  });

  // the metrics name aliases, models, servers and keys: no key, no metrics, when keys are configured
  const metricsAuth = s.fleet.gateway.metrics.auth ?? !s.auth.open;
  app.get('/metrics', async (c) => {
    if (metricsAuth)
      try {
        await s.auth.authenticate(presentedKey((n) => c.req.header(n)));
      } catch (e) {
        return errorResponse('openai', toAppError(e));
      }
    const snapshot = s.scheduler.snapshot();
    s.metrics.queueLength.set(
      {},
      snapshot.servers.reduce((n, srv) => n + srv.queued.length, 0),
    );
    for (const srv of snapshot.servers)
      if (srv.waitTarget) {
        s.metrics.waitTarget.set({ server: srv.name, kind: 'configured' }, srv.waitTarget.configuredSeconds);
        s.metrics.waitTarget.set({ server: srv.name, kind: 'effective' }, srv.waitTarget.effectiveSeconds);
      }
    return c.body(s.metrics.registry.render(), 200, {
      'content-type': 'text/plain; version=0.0.4; charset=utf-8',
    });
  });

  app.get('/admin/queue', async (c) => {
    try {
      const principal = await s.auth.authenticate(presentedKey((n) => c.req.header(n)));
      assertAdmin(principal);
      return c.json({ ...s.scheduler.snapshot(), cooldowns: s.cooldowns.active() });
    } catch (e) {
      return errorResponse('openai', toAppError(e));
    }
  });
}
