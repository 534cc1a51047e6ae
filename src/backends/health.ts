// Health of one Ollama server from /api/version and /api/ps only: never a completion, so a probe
// neither loads a model nor takes a slot.
import { isAppError, toAppError, type ErrorCode } from '../core/errors/index.ts';
import { systemClock, type Clock } from '../lib/clock.ts';
import { forwardAbort } from '../lib/forward-abort.ts';
import type { OllamaPsModel } from '../protocol/ollama/index.ts';
import type { OllamaClient } from './ollama-client.ts';

export interface LoadedModel {
  /** Ollama's name for it */
  name: string;
  /** bytes of memory in use, and the part of it in GPU memory */
  sizeBytes: number;
  vramBytes: number;
  /** num_ctx it was loaded with, when the server reports it */
  contextLength?: number;
  /** ms since the epoch when its keep-alive expires; undefined when unreadable */
  expiresAt?: number;
}

export interface ServerHealth {
  up: boolean;
  version?: string;
  loaded: LoadedModel[];
  /** ms for the probe (both calls), on the injected clock */
  latencyMs: number;
  /** why the server counts as down */
  error?: { code: ErrorCode; message: string; retryable: boolean };
}

export interface ProbeOptions {
  clock?: Clock;
  signal?: AbortSignal;
  /** give up after this many ms of the clock's time (default 5000) */
  timeoutMs?: number;
}

export async function probeServer(client: OllamaClient, options: ProbeOptions = {}): Promise<ServerHealth> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const ac = new AbortController();
  const timer = new AbortController();
  const stopForwarding = forwardAbort(options.signal, ac);
  clock.sleep(options.timeoutMs ?? 5000, timer.signal).then(
    () =>
      ac.abort(
        new DOMException(`health probe timed out after ${options.timeoutMs ?? 5000} ms`, 'TimeoutError'),
      ),
    () => undefined,
  );
  try {
    const [version, ps] = await Promise.all([
      client.version({ signal: ac.signal }),
      client.ps({ signal: ac.signal }),
    ]);
    return {
      up: true,
      version: version.version,
      loaded: ps.models.map(loadedModelOf),
      latencyMs: clock.now() - started,
    };
  } catch (e) {
    const err = isAppError(e) ? e : toAppError(e);
    return {
      up: false,
      loaded: [],
      latencyMs: clock.now() - started,
      error: { code: err.code, message: err.message, retryable: err.retryable },
    };
  } finally {
    timer.abort();
    stopForwarding();
  }
}

function loadedModelOf(m: OllamaPsModel): LoadedModel {
  const out: LoadedModel = { name: m.name, sizeBytes: m.size, vramBytes: m.size_vram };
  if (m.context_length !== undefined) out.contextLength = m.context_length;
  const at = Date.parse(m.expires_at);
  if (!Number.isNaN(at)) out.expiresAt = at;
  return out;
}
