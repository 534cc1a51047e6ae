// Serves every Ollama server of a fleet as an emulator on a real socket (the port of its URL, or
// an override; 0 picks a free port). Used by `orchestra emulate`, the demo and e2e tests.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { FleetConfig, ServerConfig } from '../config/schema.ts';
import { scaledClock, systemClock, type Clock } from '../lib/clock.ts';
import type { CoreEvent } from './core-types.ts';
import { createEmulator, type Emulator } from './emulator-app.ts';
import type { Faults } from './faults.ts';
import type { Responder } from './responders/responder.ts';
import type { Script } from './responders/script-responder.ts';

export interface FleetEmulatorOptions {
  /** the emulators' clock; real time scaled by `timeScale` when omitted */
  clock?: Clock;
  /** wall seconds per emulated second (0.01: a 40 s load takes 0.4 s); 1 when omitted */
  timeScale?: number;
  /** port per server name, overriding the port of its URL; 0 = any free port */
  ports?: Readonly<Record<string, number>>;
  /** interface to listen on; the host of each server's URL when omitted */
  host?: string;
  /** replaces the fleet's scripted replies altogether */
  responder?: Responder;
  /** rules tried before the fleet config's (`orchestra emulate --script FILE`) */
  script?: Script;
  faults?: Faults;
  onEvent?: (server: string, event: CoreEvent) => void;
}

export interface EmulatedServer {
  name: string;
  /** where it listens, e.g. http://127.0.0.1:11434 */
  url: string;
  emulator: Emulator;
  close(): Promise<void>;
}

export interface EmulatedFleet {
  servers: EmulatedServer[];
  close(): Promise<void>;
}

export async function startEmulatedFleet(
  fleet: FleetConfig,
  options: FleetEmulatorOptions = {},
): Promise<EmulatedFleet> {
  const clock =
    options.clock ?? (options.timeScale === undefined ? systemClock : scaledClock(options.timeScale));
  const servers: EmulatedServer[] = [];
  try {
    for (const server of fleet.servers.filter((s) => s.kind === 'ollama'))
      servers.push(await startOne(fleet, server, clock, options));
  } catch (e) {
    await Promise.all(servers.map((s) => s.close()));
    throw e;
  }
  return { servers, close: async () => void (await Promise.all(servers.map((s) => s.close()))) };
}

async function startOne(
  fleet: FleetConfig,
  server: ServerConfig,
  clock: Clock,
  options: FleetEmulatorOptions,
): Promise<EmulatedServer> {
  const url = new URL(server.url);
  const host = options.host ?? url.hostname.replace(/^\[|\]$/g, '');
  const port = options.ports?.[server.name] ?? Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const onEvent = options.onEvent;
  const emulator = createEmulator({
    server,
    models: fleet.models,
    clock,
    ...(options.responder ? { responder: options.responder } : {}),
    emulator: fleet.emulator,
    script: options.script,
    ...(options.faults ? { faults: options.faults } : {}),
    ...(onEvent ? { onEvent: (e: CoreEvent) => onEvent(server.name, e) } : {}),
  });
  const http = serve({ fetch: emulator.app.fetch, port, hostname: host }) as Server;
  await new Promise<void>((resolve, reject) => {
    http.once('listening', resolve);
    http.once('error', (e: NodeJS.ErrnoException) => {
      // its timers (a resident model's keep-alive) would keep the process alive after the error
      emulator.close();
      reject(new Error(`emulator ${server.name}: cannot listen on ${host}:${port}: ${e.code ?? e.message}`));
    });
  });
  const actual = (http.address() as AddressInfo).port;
  const shown = host.includes(':') ? `[${host}]` : host;
  let closed: Promise<void> | undefined;
  return {
    name: server.name,
    url: `http://${shown}:${actual}`,
    emulator,
    close: () =>
      (closed ??= new Promise<void>((resolve) => {
        emulator.close();
        http.close(() => resolve());
        http.closeAllConnections();
      })),
  };
}
