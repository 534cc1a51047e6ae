import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FleetSchema } from '../config/schema.ts';
import { ManualClock } from '../lib/clock.ts';
import { startEmulatedFleet } from './emulated-fleet.ts';

let taken: Server;
let port = 0;

beforeAll(async () => {
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  port = (taken.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

describe('startEmulatedFleet', () => {
  it('leaves no emulator behind when a server cannot listen', async () => {
    // `orchestra emulate` printed EADDRINUSE and then hung: the emulator that could not listen kept
    // its resident model's keep-alive timer on the clock, and the process alive with it
    const fleet = FleetSchema.parse({
      servers: [{ name: 'box', url: `http://127.0.0.1:${port}`, memoryGiB: 16, resident: ['small'] }],
      models: [{ name: 'small', memoryGiB: 2, paramsB: 3, servers: ['box'] }],
    });
    const clock = new ManualClock();
    await expect(startEmulatedFleet(fleet, { clock })).rejects.toThrow(
      new RegExp(`emulator box: cannot listen on 127\\.0\\.0\\.1:${port}: EADDRINUSE`),
    );
    expect(clock.pending).toBe(0);
  });
});
