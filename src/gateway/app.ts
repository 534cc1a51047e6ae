// The gateway: a Hono app over injected fleet, clock, scheduler, backends and store, so tests run it
// in process on a manual clock in front of the emulator, and `orchestra serve` on real sockets.
import { Hono } from 'hono';
import type { FleetConfig } from '../config/index.ts';
import type { ChatRequest } from '../core/chat.ts';
import { AppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';
import { randomIds, type IdGenerator } from '../lib/ids.ts';
import type { SchedulerPort } from '../scheduler/scheduler-port.ts';
import type { UsageStore } from '../store/index.ts';
import { estimateTokens } from '../translate/shared/estimate-tokens.ts';
import { errorResponse } from './api-face.ts';
import { createAuthenticator, type Authenticator } from './authenticator.ts';
import { ChainExecutor } from './chain-executor.ts';
import type { BackendResolver } from './chat-backend.ts';
import { Cooldowns } from './cooldowns.ts';
import { createGatewayMetrics, type GatewayMetrics } from './gateway-metrics.ts';
import type { GatewayServices } from './gateway-services.ts';
import { silentLogger, type Logger } from './logger.ts';
import { chatRoutes } from './routes/chat-routes.ts';
import { embedRoutes } from './routes/embed-routes.ts';
import { modelRoutes } from './routes/model-routes.ts';
import { opsRoutes, type ReadinessCheck } from './routes/ops-routes.ts';
import { ServerOutages, type ServerProbe } from './server-outages.ts';

export interface GatewayOptions {
  fleet: FleetConfig;
  clock: Clock;
  scheduler: SchedulerPort;
  backends: BackendResolver;
  store?: UsageStore;
  /** environment snapshot (from src/config): the master key is env[fleet.gateway.masterKeyEnv] */
  env: Readonly<Record<string, string | undefined>>;
  logger?: Logger;
  ids?: IdGenerator;
  /** prompt tokens of a request; the translators' estimate by default */
  estimateTokens?: (request: ChatRequest) => number;
  /** ms between keep-alives while a streamed request waits for its model (default 10 000) */
  keepAliveMs?: number;
  readiness?: ReadinessCheck;
  /** asks a local server whether it answers (health, never a completion), while it is down */
  probe?: ServerProbe;
}

export interface Gateway {
  app: Hono;
  fetch: (request: Request) => Promise<Response>;
  metrics: GatewayMetrics;
  /** true when no master key and no keys are configured */
  open: boolean;
  /** stops the health probes of servers that are down */
  close(): void;
  /** the gateway's key check, shared with routes mounted beside it (the dashboard) */
  auth: Authenticator;
}

export function createGateway(o: GatewayOptions): Gateway {
  const metrics = createGatewayMetrics();
  const cooldowns = new Cooldowns(o.fleet.gateway.cooldown, o.clock);
  const estimate = o.estimateTokens ?? estimateTokens;
  const logger = o.logger ?? silentLogger;
  const outages = new ServerOutages({
    clock: o.clock,
    intervalMs: o.fleet.gateway.health.intervalSeconds * 1000,
    probe: o.probe,
    onRecovered: (server, outage) => {
      // failures while it was down said nothing about its models
      for (const m of o.fleet.models) if (m.servers.includes(server)) cooldowns.reset(m.name);
      logger.info('server answers again', { server, downSeconds: (o.clock.now() - outage.since) / 1000 });
    },
  });
  const masterKey = o.env[o.fleet.gateway.masterKeyEnv];
  const auth = createAuthenticator({
    keys: o.fleet.gateway.keys,
    masterKey: masterKey === '' ? undefined : masterKey,
  });
  if (o.fleet.gateway.metrics.auth === true && auth.open)
    throw new AppError(
      'config_invalid',
      `gateway.metrics.auth is true, but no key is configured (no ${o.fleet.gateway.masterKeyEnv}, no gateway.keys): nobody could read /metrics`,
      { path: 'gateway.metrics.auth' },
    );
  const executor = new ChainExecutor({
    fleet: o.fleet,
    clock: o.clock,
    scheduler: o.scheduler,
    backends: o.backends,
    metrics,
    cooldowns,
    outages,
    estimateTokens: estimate,
  });
  const services: GatewayServices = {
    fleet: o.fleet,
    clock: o.clock,
    scheduler: o.scheduler,
    executor,
    backends: o.backends,
    auth,
    metrics,
    cooldowns,
    store: o.store,
    logger,
    ids: o.ids ?? randomIds,
    estimateTokens: estimate,
    keepAliveMs: o.keepAliveMs ?? 10_000,
  };
  const app = new Hono();
  chatRoutes(app, services);
  embedRoutes(app, services);
  modelRoutes(app, services);
  opsRoutes(app, services, o.readiness);
  app.notFound((c) =>
    errorResponse(faceOf(c.req.path), new AppError('not_found', `no route ${c.req.method} ${c.req.path}`)),
  );
  app.onError((e, c) => {
    services.logger.error('unhandled error in a route', { path: c.req.path, error: e.message });
    return errorResponse(faceOf(c.req.path), new AppError('internal', 'internal error'));
  });
  return {
    app,
    fetch: (req) => Promise.resolve(app.fetch(req)),
    metrics,
    open: auth.open,
    close: () => outages.close(),
    auth,
  };
}

const faceOf = (path: string): 'openai' | 'anthropic' | 'ollama' =>
  path.startsWith('/v1/messages') ? 'anthropic' : path.startsWith('/api/') ? 'ollama' : 'openai';
