// ModelServerControl over Ollama: the scheduler's hands on the servers. Loads send the model's
// configured num_ctx (another value would make Ollama reload) and keep_alive -1, so the scheduler,
// not Ollama's idle timer, decides when a model leaves. What is loaded comes from /api/ps only.
// The interface mirrors ModelServerControl (src/scheduler/scheduler-port.ts) structurally: backends
// may not import scheduler (test/architecture.test.ts); a test checks the two stay assignable.
import type { ModelConfig, ServerConfig } from '../config/index.ts';
import { AppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';
import { OllamaClient } from './ollama-client.ts';
import { upstreamNameOf } from './upstream-name.ts';

/** What the scheduler's runner needs from the servers; same shape as scheduler's ModelServerControl. */
export interface OllamaServerControl {
  /** loads `model` on `server` with its configured context; resolves when loaded (ms taken) */
  load(server: string, model: string, signal?: AbortSignal): Promise<{ loadMs: number }>;
  unload(server: string, model: string, signal?: AbortSignal): Promise<void>;
  /** fleet names of the models loaded right now, from /api/ps (never a completion) */
  loaded(server: string, signal?: AbortSignal): Promise<string[]>;
}

export interface OllamaServerControlOptions {
  servers: readonly ServerConfig[];
  models: readonly ModelConfig[];
  /** injected into every client (the emulator's app.fetch in tests) */
  fetch?: typeof fetch;
  clock?: Clock;
  /** overrides client creation, e.g. one fetch per server */
  clientFor?: (server: ServerConfig) => OllamaClient;
}

/** Ollama treats "name" and "name:latest" as one model. */
export const sameOllamaTag = (a: string, b: string): boolean => withTag(a) === withTag(b);
const withTag = (n: string): string => (n.includes(':') ? n : `${n}:latest`);

export function ollamaServerControl(options: OllamaServerControlOptions): OllamaServerControl {
  const clients = new Map<string, OllamaClient>();
  const make =
    options.clientFor ??
    ((s: ServerConfig): OllamaClient => {
      const o: ConstructorParameters<typeof OllamaClient>[0] = { baseUrl: s.url };
      if (options.fetch !== undefined) o.fetch = options.fetch;
      if (options.clock !== undefined) o.clock = options.clock;
      return new OllamaClient(o);
    });

  function clientOf(serverName: string): OllamaClient {
    const existing = clients.get(serverName);
    if (existing !== undefined) return existing;
    const server = options.servers.find((s) => s.name === serverName);
    if (server === undefined)
      throw new AppError('not_found', `no server named "${serverName}" in the fleet`, { path: serverName });
    if (server.kind !== 'ollama')
      throw new AppError(
        'bad_request',
        `server "${serverName}" is a ${server.kind} server; only ollama servers load models`,
        { path: serverName },
      );
    const client = make(server);
    clients.set(serverName, client);
    return client;
  }

  function modelOf(name: string): ModelConfig {
    const model = options.models.find((m) => m.name === name);
    if (model === undefined)
      throw new AppError('model_not_found', `no model named "${name}" in the fleet`, {
        path: name,
        retryable: false,
      });
    return model;
  }

  return {
    async load(server, model, signal) {
      const m = modelOf(model);
      const { loadMs } = await clientOf(server).load(upstreamNameOf(m), {
        numCtx: m.contextTokens,
        keepAlive: -1,
        ...(signal === undefined ? {} : { signal }),
      });
      return { loadMs };
    },
    async unload(server, model, signal) {
      const m = modelOf(model);
      await clientOf(server).unload(upstreamNameOf(m), signal === undefined ? {} : { signal });
    },
    /** fleet names of the loaded models; a loaded model the fleet does not know keeps its Ollama name */
    async loaded(server, signal) {
      const ps = await clientOf(server).ps(signal === undefined ? {} : { signal });
      return ps.models.map((entry) => {
        const known = options.models.find(
          (m) =>
            sameOllamaTag(upstreamNameOf(m), entry.model) || sameOllamaTag(upstreamNameOf(m), entry.name),
        );
        return known?.name ?? entry.name;
      });
    },
  };
}
