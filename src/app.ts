// The composition root: the one place that wires config, clock, fetch, logger, store, scheduler,
// backends and gateway. `orchestra serve` calls startGatewayServer (real time, real fetch, a
// socket); e2e tests call composeGateway with a manual clock and the emulator's fetch per server.
import { serve } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { cloudProviders } from './backends/cloud/cloud-providers.ts';
import { probeServer } from './backends/health.ts';
import { ollamaBackend } from './backends/ollama-backend.ts';
import { OllamaClient } from './backends/ollama-client.ts';
import { httpFetch } from './gateway/http-fetch.ts';
import { ollamaServerControl } from './backends/ollama-server-control.ts';
import { envSnapshot, loadFleetFile, type FleetConfig, type ServerConfig } from './config/index.ts';
import { AppError } from './core/errors/index.ts';
import { mountDashboard, type MountedDashboard } from './dashboard/mount-dashboard.ts';
import type { RunSource } from './dashboard/run-source.ts';
import { storeRunSource } from './dashboard/store-run-source.ts';
import { usageFeed } from './dashboard/usage-feed.ts';
import { openRunStore } from './store/run-store.ts';
import { detachedResume } from './runner/resume-process.ts';
import { createGateway, type Gateway } from './gateway/app.ts';
import type { BackendResolver, ChatBackend } from './gateway/chat-backend.ts';
import { jsonLogger, silentLogger, type Logger } from './gateway/logger.ts';
import { translationNoteLogger } from './gateway/translation-notes.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { randomIds, type IdGenerator } from './lib/ids.ts';
import type { ModelServerControl, SchedulerPort } from './scheduler/scheduler-port.ts';
import { SchedulerService, syncResidency } from './scheduler/scheduler-service.ts';
import type { InitialResidency } from './scheduler/scheduler-state.ts';
import { openUsageStore, storePathFor, type UsageStore } from './store/index.ts';

/** builds the scheduler over the servers' control */
export type SchedulerFactory = (deps: {
  fleet: FleetConfig;
  control: ModelServerControl;
  clock: Clock;
  logger: Logger;
}) => SchedulerPort | Promise<SchedulerPort>;

/** the scheduler runner of src/scheduler/, starting from what the servers have loaded (/api/ps) */
export const schedulerService: SchedulerFactory = async ({ fleet, control, clock, logger }) => {
  const resident = await pinResident(await syncResidency(fleet, control), control, logger);
  return new SchedulerService({
    fleet,
    control,
    clock,
    resident,
    onNotice: (message) => logger.warn(message),
  });
};

/**
 * Models found loaded at start still run on Ollama's own keep-alive timer (5 min by default) and
 * would unload behind the scheduler's back, which then dispatches to a model it believes resident.
 * A load with keep_alive -1 (Ollama's fast path for a loaded model) hands the decision to the
 * scheduler. A model that cannot be pinned is dropped from the residency the scheduler starts with.
 */
async function pinResident(
  found: InitialResidency,
  control: ModelServerControl,
  logger: Logger,
): Promise<InitialResidency> {
  const entries = await Promise.all(
    Object.entries(found).map(async ([server, models]) => {
      const pinned: string[] = [];
      for (const model of models) {
        try {
          await control.load(server, model);
          pinned.push(model);
        } catch (e) {
          logger.warn('could not pin a model found loaded at start', {
            server,
            model,
            error: (e as Error).message,
          });
        }
      }
      return [server, pinned] as const;
    }),
  );
  return Object.fromEntries(entries);
}

export interface ComposeOptions {
  fleet: FleetConfig;
  clock: Clock;
  /** environment snapshot from src/config (master key, cloud API keys) */
  env: Readonly<Record<string, string | undefined>>;
  /** the scheduler; schedulerService (src/scheduler's runner) by default */
  createScheduler?: SchedulerFactory;
  /** fetch for a server: the emulator's per server in tests; httpFetch (node:http) by default */
  fetchFor?: (server: ServerConfig) => typeof fetch;
  /** fetch for cloud APIs; globalThis.fetch by default */
  cloudFetch?: typeof fetch;
  store?: UsageStore;
  /** the runs the dashboard shows (the run store beside the usage store) */
  runs?: RunSource;
  logger?: Logger;
  ids?: IdGenerator;
  keepAliveMs?: number;
}

export interface Composed {
  gateway: Gateway;
  scheduler: SchedulerPort;
  /** the web dashboard at /ui, mounted on the gateway's app */
  dashboard: MountedDashboard;
  /** start-up warnings (disabled cloud servers, open gateway) */
  warnings: string[];
}

export async function composeGateway(o: ComposeOptions): Promise<Composed> {
  const logger = o.logger ?? silentLogger;
  const clients = new Map<string, OllamaClient>();
  const clientFor = (server: ServerConfig): OllamaClient => {
    let c = clients.get(server.name);
    if (!c) {
      c = new OllamaClient({ baseUrl: server.url, clock: o.clock, fetch: o.fetchFor?.(server) ?? httpFetch });
      clients.set(server.name, c);
    }
    return c;
  };
  const control = ollamaServerControl({
    servers: o.fleet.servers,
    models: o.fleet.models,
    clock: o.clock,
    clientFor,
  });
  const scheduler = await (o.createScheduler ?? schedulerService)({
    fleet: o.fleet,
    control,
    clock: o.clock,
    logger,
  });
  const cloud = cloudProviders(o.fleet, o.env, o.cloudFetch);
  const local = new Map<string, ChatBackend>();
  const notesOf = translationNoteLogger(logger);
  const backends: BackendResolver = {
    disabledReason: (server) => cloud.disabledReason(server),
    backendFor(server, model) {
      if (server.kind !== 'ollama') return cloud.backendFor(server, model);
      const id = `${server.name}\u0000${model.name}`;
      let b = local.get(id);
      if (!b) {
        b = ollamaBackend({
          client: clientFor(server),
          model,
          keepAlive: -1,
          server: server.name,
          ids: o.ids,
          onNote: notesOf(server.name, model.name),
        });
        local.set(id, b);
      }
      return b;
    },
  };
  const localServers = o.fleet.servers.filter((s) => s.kind === 'ollama');
  // the dashboard sees each usage row as the gateway records it
  const usage = o.store
    ? usageFeed(o.store, (e) => logger.error('dashboard usage listener failed', { error: e.message }))
    : undefined;
  const gateway = createGateway({
    fleet: o.fleet,
    clock: o.clock,
    scheduler,
    backends,
    store: usage?.store,
    env: o.env,
    logger,
    ids: o.ids,
    keepAliveMs: o.keepAliveMs,
    probe: async (name, signal) => {
      const server = localServers.find((s) => s.name === name);
      return server !== undefined && (await probeServer(clientFor(server), { clock: o.clock, signal })).up;
    },
    readiness: cachedFor(READINESS_CACHE_MS, o.clock, async () => {
      const probes = await Promise.all(
        localServers.map(async (s) => ({
          s,
          h: await probeServer(clientFor(s), { clock: o.clock }).catch(() => undefined),
        })),
      );
      const down = probes
        .filter((p) => !p.h?.up)
        .map((p) => `server ${p.s.name} does not answer at ${p.s.url}`);
      const ready = probes.length - down.length > 0 || cloud.enabled.length > 0;
      return { ready, reasons: down };
    }),
  });
  const dashboard = mountDashboard({
    app: gateway.app,
    fleet: o.fleet,
    clock: o.clock,
    scheduler,
    auth: gateway.auth,
    ...(usage ? { usage } : {}),
    ...(o.runs ? { runs: o.runs } : {}),
  });
  const warnings = [...cloud.warnings];
  if (gateway.open)
    warnings.push(
      `no master key (${o.fleet.gateway.masterKeyEnv}) and no keys configured: the gateway runs open`,
    );
  return { gateway, scheduler, dashboard, warnings };
}

/** /ready needs no key: probing every server on each call would let anyone make the gateway do so */
const READINESS_CACHE_MS = 2000;

/** the last result of `f` for `ms` of clock time (one call in flight at a time) */
function cachedFor<T>(ms: number, clock: Clock, f: () => Promise<T>): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | undefined;
  return () => {
    if (!last || clock.now() - last.at >= ms) last = { at: clock.now(), value: f() };
    return last.value;
  };
}

export interface ServeOptions {
  configFile: string;
  port?: number;
  policy?: string;
  host?: string;
  /** defaults to the environment snapshot from src/config */
  env?: Readonly<Record<string, string | undefined>>;
  clock?: Clock;
  /** log lines (JSON) */
  log: (line: string) => void;
  /** schedulerService by default */
  createScheduler?: SchedulerFactory;
  fetch?: typeof fetch;
}

export interface RunningGateway {
  url: string;
  fleet: FleetConfig;
  warnings: string[];
  close(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

export async function startGatewayServer(o: ServeOptions): Promise<RunningGateway> {
  const env = o.env ?? envSnapshot();
  const fleet = loadServeConfig(o, env);
  const clock = o.clock ?? systemClock;
  const logger: Logger = jsonLogger(o.log, () => clock.now());
  const storePath = storePathFor(fleet.gateway.storePath, o.configFile);
  const store = openUsageStore(storePath, {
    onError: (e) => logger.error('usage rows not written', { error: e.message }),
  });
  // the runs `orchestra run` logs in the same file, for the dashboard's runs page
  let runStore: ReturnType<typeof openRunStore> | undefined;
  try {
    runStore = openRunStore(storePath);
    const composed = await composeGateway({
      fleet,
      clock,
      env,
      ...(o.createScheduler ? { createScheduler: o.createScheduler } : {}),
      ...(o.fetch ? { fetchFor: () => o.fetch!, cloudFetch: o.fetch } : {}),
      store,
      runs: storeRunSource(runStore, clock, {
        // an answer from the dashboard goes on as `orchestra runs answer` does: in a process of its own
        resume: detachedResume({ storePath, env, logDir: join(dirname(storePath), 'run-logs') }),
      }),
      logger,
      ids: randomIds,
    });
    const { host } = fleet.gateway;
    if (composed.gateway.open && !LOOPBACK.has(host))
      throw new AppError(
        'config_invalid',
        `the gateway has no master key (${fleet.gateway.masterKeyEnv}) and no keys, so it only listens on loopback; set one or use host 127.0.0.1 (gateway.host is ${host})`,
      );
    const http = await listen(composed.gateway.app.fetch, host, o.port === 0 ? 0 : fleet.gateway.port);
    for (const w of composed.warnings) logger.warn(w);
    const port = (http.address() as AddressInfo).port;
    const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info('gateway listening', {
      url,
      policy: fleet.scheduler.policy,
      servers: fleet.servers.map((s) => s.name),
    });
    let closed: Promise<void> | undefined;
    const close = (): Promise<void> =>
      (closed ??= new Promise<void>((resolve) => {
        http.close(() => {
          composed.dashboard.close();
          closeScheduler(composed.scheduler);
          composed.gateway.close();
          runStore?.close();
          store.close();
          resolve();
        });
        http.closeAllConnections();
      }));
    return { url, fleet, warnings: composed.warnings, close };
  } catch (e) {
    runStore?.close();
    store.close();
    throw e;
  }
}

/** the fleet file with the command line's overrides (port 0, any free port, only reaches listen) */
function loadServeConfig(o: ServeOptions, env: Readonly<Record<string, string | undefined>>): FleetConfig {
  const overrides: Record<string, Record<string, unknown>> = {};
  if (o.port !== undefined && o.port !== 0) overrides.gateway = { port: o.port };
  if (o.host !== undefined) overrides.gateway = { ...overrides.gateway, host: o.host };
  if (o.policy !== undefined) overrides.scheduler = { policy: o.policy };
  return loadFleetFile(o.configFile, { env, overrides });
}

async function listen(
  fetchFn: (r: Request) => Response | Promise<Response>,
  host: string,
  port: number,
): Promise<Server> {
  const http = serve({ fetch: fetchFn, port, hostname: host }) as Server;
  await new Promise<void>((resolve, reject) => {
    http.once('listening', resolve);
    http.once('error', (e: NodeJS.ErrnoException) =>
      reject(new AppError('config_invalid', `cannot listen on ${host}:${port}: ${e.code ?? e.message}`)),
    );
  });
  return http;
}

function closeScheduler(s: SchedulerPort): void {
  const closable = s as SchedulerPort & { close?: () => void };
  closable.close?.();
}
