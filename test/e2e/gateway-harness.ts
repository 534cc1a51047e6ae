// The gateway in front of emulated Ollama servers, in one process on a manual clock: the official
// clients get the gateway's fetch, the gateway's Ollama clients get each emulator's fetch.
import { composeGateway, type SchedulerFactory } from '../../src/app.ts';
import type { RunSource } from '../../src/dashboard/run-source.ts';
import { FleetSchema, type FleetConfig, type FleetInput } from '../../src/config/index.ts';
import type { Emulator } from '../../src/emulator/emulator-app.ts';
import { inProcessFleet } from '../../src/emulator/in-process-fleet.ts';
import type { Logger } from '../../src/gateway/logger.ts';
import type { Responder } from '../../src/emulator/responders/responder.ts';
import { ManualClock } from '../../src/lib/clock.ts';
import { sequentialIds } from '../../src/lib/ids.ts';
import { openUsageStore, type UsageStore } from '../../src/store/index.ts';

export const BASE = 'http://gateway.test';

export function e2eFleet(extra: Partial<FleetInput> = {}): FleetConfig {
  return FleetSchema.parse({
    servers: [
      { name: 'alpha', url: 'http://alpha.test:11434', profile: 'm4-32', memoryGiB: 21.3 },
      { name: 'beta', url: 'http://beta.test:11434', profile: 'm4-32', memoryGiB: 21.3 },
    ],
    models: [
      {
        name: 'qwen2.5-coder:32b',
        paramsB: 32,
        memoryGiB: 18.5,
        contextTokens: 8192,
        servers: ['alpha'],
        loadSeconds: 30,
      },
      {
        name: 'qwen2.5:7b',
        paramsB: 7,
        memoryGiB: 4.4,
        contextTokens: 8192,
        servers: ['beta'],
        loadSeconds: 8,
      },
    ],
    aliases: {
      'claude-3-5-sonnet': ['qwen2.5-coder:32b', 'qwen2.5:7b'],
      coder: ['qwen2.5-coder:32b', 'qwen2.5:7b'],
    },
    gateway: {
      timeouts: { connectSeconds: 10, firstTokenSeconds: 120, idleSeconds: 60, totalSeconds: 1800 },
      retries: { attempts: 0, backoffSeconds: 1 },
      bodyLimitBytes: 64 * 1024,
    },
    ...extra,
  });
}

export interface GatewayHarness {
  clock: ManualClock;
  fleet: FleetConfig;
  emulators: Map<string, Emulator>;
  store: UsageStore;
  fetch: (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
  /** advances the manual clock until `p` settles */
  until<T>(p: Promise<T>, stepMs?: number): Promise<T>;
  close(): void;
}

export async function gatewayHarness(
  options: {
    fleet?: FleetConfig;
    env?: Record<string, string>;
    responder?: Responder;
    createScheduler?: SchedulerFactory;
    logger?: Logger;
    /** the dashboard's runs */
    runs?: RunSource;
  } = {},
): Promise<GatewayHarness> {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const fleet = options.fleet ?? e2eFleet();
  const fleetEmulators = inProcessFleet(fleet, {
    clock,
    ...(options.responder ? { responder: options.responder } : {}),
  });
  const emulators = fleetEmulators.emulators;
  const store = openUsageStore(':memory:');
  const { gateway, scheduler } = await composeGateway({
    fleet,
    clock,
    env: options.env ?? {},
    ...(options.createScheduler ? { createScheduler: options.createScheduler } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.runs ? { runs: options.runs } : {}),
    fetchFor: (s) => fleetEmulators.fetchFor(s),
    store,
    ids: sequentialIds(),
  });
  const fetchFn = (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    gateway.fetch(input instanceof Request ? input : new Request(input, init));
  return {
    clock,
    fleet,
    emulators,
    store,
    fetch: fetchFn,
    async until<T>(p: Promise<T>, stepMs = 500): Promise<T> {
      let settled = false;
      const watched = p.finally(() => {
        settled = true;
      });
      watched.catch(() => {});
      for (let t = 0; !settled && t < 3_600_000; t += stepMs) await clock.advance(stepMs);
      return watched;
    },
    close() {
      (scheduler as { close?: () => void }).close?.();
      fleetEmulators.close();
      store.close();
    },
  };
}

/** a model that calls get_weather when offered tools, and answers from the tool's result */
export const weatherResponder: Responder = (input) => {
  const last = input.messages.at(-1);
  if (input.tools.includes('get_weather') && last?.role === 'user')
    return { content: '', toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] };
  if (last?.role === 'tool') return { content: `The weather: ${last.content}` };
  return { content: 'Hello from the emulator.' };
};
