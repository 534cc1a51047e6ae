// Every Ollama server of a fleet as an in-process emulator on one clock, with a fetch per server
// for the gateway's Ollama clients: the whole system in one process (the demo, e2e tests).
import type { FleetConfig, ServerConfig } from '../config/schema.ts';
import type { Clock } from '../lib/clock.ts';
import type { IdGenerator } from '../lib/ids.ts';
import type { CoreEvent } from './core-types.ts';
import { createEmulator, type Emulator } from './emulator-app.ts';
import type { Responder } from './responders/responder.ts';
import type { Script } from './responders/script-responder.ts';

export interface InProcessFleet {
  emulators: Map<string, Emulator>;
  /** the fetch of a server's emulator (throws like a refused connection while it is down) */
  fetchFor(server: ServerConfig): typeof fetch;
  close(): void;
}

export function inProcessFleet(
  fleet: FleetConfig,
  options: {
    clock: Clock;
    /** replaces the fleet's scripted replies altogether */
    responder?: Responder;
    /** rules tried before the fleet config's (e.g. defineScript({ rules: [...] })) */
    script?: Script;
    /** ids per server (each emulator gets its own generator) */
    ids?: () => IdGenerator;
    onEvent?: (server: string, event: CoreEvent) => void;
  },
): InProcessFleet {
  const emulators = new Map<string, Emulator>();
  const { onEvent } = options;
  for (const server of fleet.servers.filter((s) => s.kind === 'ollama'))
    emulators.set(
      server.name,
      createEmulator({
        server,
        models: fleet.models,
        clock: options.clock,
        ...(options.responder ? { responder: options.responder } : {}),
        emulator: fleet.emulator,
        script: options.script,
        ...(options.ids ? { ids: options.ids() } : {}),
        ...(onEvent ? { onEvent: (e: CoreEvent) => onEvent(server.name, e) } : {}),
      }),
    );
  return {
    emulators,
    fetchFor(server) {
      const e = emulators.get(server.name);
      if (!e) throw new Error(`no emulator for server ${server.name} (only ollama servers are emulated)`);
      return (input: Request | string | URL, init?: RequestInit) => e.fetch(input, init);
    },
    close() {
      for (const e of emulators.values()) e.close();
    },
  };
}
