// The in-process gateway of a test on a real loopback socket, for the engine's HTTP path (the
// gateway running elsewhere), and a way to drive the manual clock while real sockets carry the
// calls: virtual time moves only between real event-loop turns, so socket I/O keeps up with it.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import type { ManualClock } from '../../src/lib/clock.ts';

export interface LoopbackServer {
  /** http://127.0.0.1:PORT (the gateway's origin) */
  url: string;
  close(): void;
}

export async function listenOnLoopback(
  fetchFn: (request: Request) => Response | Promise<Response>,
): Promise<LoopbackServer> {
  const http = serve({ fetch: fetchFn, port: 0, hostname: '127.0.0.1' }) as Server;
  await new Promise<void>((resolve, reject) => {
    http.once('listening', resolve);
    http.once('error', reject);
  });
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => {
      http.closeAllConnections();
      http.close();
    },
  };
}

/** advances `clock` in small steps with a real turn between them until `p` settles */
export async function untilOverSockets<T>(clock: ManualClock, p: Promise<T>, stepMs = 200): Promise<T> {
  let settled = false;
  const watched = p.finally(() => {
    settled = true;
  });
  watched.catch(() => {});
  for (let t = 0; !settled && t < 3_600_000; t += stepMs) {
    await clock.advance(stepMs);
    await new Promise<void>((resolve) => setTimeout(resolve, 1));
  }
  return watched;
}
