// Test helpers for driving an emulator on a manual clock: advance time until a promise settles.
import { resolve } from 'node:path';
import { loadFleetFile, type FleetConfig } from '../../config/index.ts';
import { ManualClock } from '../../lib/clock.ts';
import { createEmulator, type Emulator, type EmulatorOptions } from '../emulator-app.ts';

export const MAC_MINI_FILE = resolve(import.meta.dirname, '../../../examples/mac-mini.yaml');

export function macMini(): FleetConfig {
  return loadFleetFile(MAC_MINI_FILE);
}

export interface Harness {
  clock: ManualClock;
  emulator: Emulator;
  /** POST JSON (or raw text) to the emulator */
  post(path: string, body: unknown, init?: RequestInit): Promise<Response>;
  get(path: string): Promise<Response>;
  /** advances the clock in steps until `p` settles (or `maxMs` of virtual time pass) */
  until<T>(p: Promise<T>, stepMs?: number, maxMs?: number): Promise<T>;
}

export function harness(
  fleet: FleetConfig,
  serverName = fleet.servers[0]!.name,
  extra: Partial<EmulatorOptions> = {},
): Harness {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const server = fleet.servers.find((s) => s.name === serverName)!;
  const emulator = createEmulator({ server, models: fleet.models, clock, ...extra });
  const base = 'http://emulator.test';
  return {
    clock,
    emulator,
    post: (path, body, init) =>
      emulator.fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: typeof body === 'string' ? body : JSON.stringify(body),
        ...init,
      }),
    get: (path) => emulator.fetch(`${base}${path}`),
    async until<T>(p: Promise<T>, stepMs = 250, maxMs = 3_600_000): Promise<T> {
      let settled = false;
      const watched = p.finally(() => {
        settled = true;
      });
      watched.catch(() => {});
      for (let t = 0; !settled && t < maxMs; t += stepMs) await clock.advance(stepMs);
      return watched;
    },
  };
}
