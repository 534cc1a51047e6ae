// One emulated Ollama server as a Hono app: Ollama's native API, its OpenAI layer, and an admin
// endpoint for faults (POST /admin/faults with a FaultsSchema body; GET /admin/faults, /admin/state).
import { Hono } from 'hono';
import type { FleetEmulatorConfig } from '../config/emulator-schema.ts';
import type { ModelConfig, ServerConfig } from '../config/schema.ts';
import type { Clock } from '../lib/clock.ts';
import { sequentialIds, type IdGenerator } from '../lib/ids.ts';
import type { CoreEvent, CoreSnapshot } from './core-types.ts';
import { CoreDriver } from './core-driver.ts';
import { ollamaError, parseBody, readJson, type EmulatorContext } from './emulator-context.ts';
import { FaultsSchema, connectionRefused, mergeFaults, type Faults, type FaultsInput } from './faults.ts';
import { infoRoutes } from './info-routes.ts';
import { nativeRoutes } from './native-routes.ts';
import { OllamaCore } from './ollama-core.ts';
import { openaiRoutes } from './openai-routes.ts';
import { fleetResponder } from './responders/fleet-responder.ts';
import type { Script } from './responders/script-responder.ts';
import type { Responder } from './responders/responder.ts';

export interface EmulatorOptions {
  server: ServerConfig;
  /** the fleet's models; the emulator serves those whose `servers` name this server */
  models: readonly ModelConfig[];
  clock: Clock;
  /**
   * what the models say; by default the fleet's scripted replies (the models' `emulator` settings,
   * `emulator.rules`, `script`) over the deterministic default reply
   */
  responder?: Responder;
  /** the fleet config's top-level `emulator` (its rules), used when no responder is given */
  emulator?: FleetEmulatorConfig | undefined;
  /** rules tried before the fleet's (a `--script` file, a test's JS object), when no responder is given */
  script?: Script | undefined;
  faults?: Faults;
  ids?: IdGenerator;
  /** every event of the core (loads, unloads, request ends), for logs */
  onEvent?: (event: CoreEvent) => void;
}

export interface Emulator {
  app: Hono;
  /** the app's fetch; throws like a refused connection while the server is down */
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
  core: OllamaCore;
  state(): CoreSnapshot;
  faults(): Faults;
  setFault(change: FaultsInput): void;
  /** fails every pending request and stops the timers */
  close(): void;
}

export function createEmulator(options: EmulatorOptions): Emulator {
  const { server, clock } = options;
  const served = options.models.filter((m) => m.servers.includes(server.name));
  const core = new OllamaCore({ server, models: served, start: clock.now() });
  const driver = new CoreDriver(core, clock);
  driver.onEvent = options.onEvent;
  let faults: Faults = {};
  const setFault = (change: FaultsInput): void => {
    faults = mergeFaults(faults, change);
    core.setLoadFailure(faults.loadFailure);
  };
  if (options.faults) setFault(options.faults);
  // Arms the keep-alive timers of the models resident at start.
  driver.poke();
  const ctx: EmulatorContext = {
    server,
    core,
    driver,
    clock,
    ids: options.ids ?? sequentialIds(),
    responder:
      options.responder ?? fleetResponder({ models: served, emulator: options.emulator }, options.script),
    faults: () => faults,
  };

  const app = new Hono();
  app.onError((e, c) => ollamaError(c, e));
  app.use('*', async (c, next) => {
    if (!faults.down || c.req.path.startsWith('/admin/')) return next();
    // On a socket: drop the connection like a dead server; in process: fetch() throws instead.
    const env = c.env as { incoming?: { socket?: { destroy(): void } } } | undefined;
    env?.incoming?.socket?.destroy();
    return c.json({ error: 'server down (emulated fault)' }, 503);
  });
  app.get('/', (c) => c.text('Ollama is running'));
  app.get('/admin/faults', (c) => c.json(faults));
  app.post('/admin/faults', async (c) => {
    setFault(parseBody(FaultsSchema, await readJson(c)));
    return c.json(faults);
  });
  app.get('/admin/state', (c) => c.json(core.snapshot()));
  infoRoutes(app, ctx, served);
  nativeRoutes(app, ctx);
  openaiRoutes(app, ctx, served);
  app.notFound((c) => c.text('404 page not found', 404));

  return {
    app,
    fetch: (input, init) => {
      const request = input instanceof Request && !init ? input : new Request(input, init);
      if (faults.down && !new URL(request.url).pathname.startsWith('/admin/'))
        return Promise.reject(connectionRefused(server.url));
      return Promise.resolve(app.fetch(request));
    },
    core,
    state: () => core.snapshot(),
    faults: () => faults,
    setFault,
    close: () => driver.close(),
  };
}
