// Faults and client disconnects on real sockets: what an HTTP client sees, and that the emulator
// frees the slot of a client that went away.
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFleetFile } from '../../src/config/index.ts';
import {
  startEmulatedFleet,
  type EmulatedServer,
  type EmulatedFleet,
} from '../../src/emulator/emulated-fleet.ts';
import { MAC_MINI_FILE } from '../../src/emulator/testing/emulator-harness.ts';

/** yields to I/O until `check` holds (no timers: the socket events just need turns of the loop) */
async function until(check: () => boolean, turns = 5000): Promise<boolean> {
  for (let i = 0; i < turns && !check(); i++) await new Promise((r) => setImmediate(r));
  return check();
}

describe('emulator faults on a socket', () => {
  let fleet: EmulatedFleet;
  let server: EmulatedServer;
  let ollama: Ollama;
  const admin = (body: unknown) =>
    fetch(`${server.url}/admin/faults`, { method: 'POST', body: JSON.stringify(body) }).then((r) => r.json());

  beforeAll(async () => {
    fleet = await startEmulatedFleet(loadFleetFile(MAC_MINI_FILE), {
      timeScale: 0.001,
      ports: { 'mac-mini': 0 },
    });
    server = fleet.servers[0]!;
    ollama = new Ollama({ host: server.url });
  });
  afterAll(async () => {
    await fleet?.close();
  });

  it('server down: connections are dropped, /admin still answers, and it comes back', async () => {
    expect(await admin({ down: true })).toEqual({ down: true });
    await expect(ollama.list()).rejects.toThrow();
    expect(await admin({ down: false })).toEqual({});
    expect((await ollama.list()).models.length).toBe(3);
  });

  it('connection reset mid-stream: the client gets N chunks, then an error', async () => {
    await admin({ resetAfterChunks: 2 });
    const seen: string[] = [];
    const consume = async (): Promise<void> => {
      const stream = await ollama.chat({
        model: 'qwen-fast',
        messages: [{ role: 'user', content: 'long answer' }],
        options: { num_predict: 40 },
        stream: true,
      });
      for await (const chunk of stream) seen.push(chunk.message.content);
    };
    await expect(consume()).rejects.toThrow();
    expect(seen).toHaveLength(2);
    await admin({ resetAfterChunks: null });
    expect(await until(() => server.emulator.state().admitted === 0)).toBe(true);
  });

  it('a client that disconnects mid-stream frees its slot', async () => {
    const abort = new AbortController();
    const res = await fetch(`${server.url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({
        model: 'qwen-fast',
        messages: [{ role: 'user', content: 'very long' }],
        options: { num_predict: 100_000 },
      }),
      signal: abort.signal,
    });
    const reader = res.body!.getReader();
    await reader.read();
    expect(server.emulator.state().admitted).toBe(1);
    abort.abort();
    expect(await until(() => server.emulator.state().admitted === 0)).toBe(true);
    expect(server.emulator.state().runners.every((r) => r.refCount === 0 && r.active === 0)).toBe(true);
  });
});

describe('client disconnects on a socket, in real time', () => {
  it('a client that gives up while its model loads leaves the queue', async () => {
    // time scale 1: the 26 s load of the 32B cannot finish during this test
    const fleet = await startEmulatedFleet(loadFleetFile(MAC_MINI_FILE), {
      timeScale: 1,
      ports: { 'mac-mini': 0 },
    });
    try {
      const server = fleet.servers[0]!;
      const abort = new AbortController();
      const pending = fetch(`${server.url}/api/chat`, {
        method: 'POST',
        body: JSON.stringify({
          model: 'qwen2.5-coder:32b-instruct',
          messages: [{ role: 'user', content: 'hi' }],
          stream: false,
        }),
        signal: abort.signal,
      });
      pending.catch(() => {});
      expect(await until(() => server.emulator.state().admitted === 1)).toBe(true);
      expect(server.emulator.state().runners.map((r) => r.state)).toEqual(['loading']);
      abort.abort();
      expect(await until(() => server.emulator.state().admitted === 0)).toBe(true);
      // the load goes on (Ollama does not abort it), with nobody waiting for it
      expect(server.emulator.state().runners[0]).toMatchObject({ state: 'loading', refCount: 0 });
    } finally {
      await fleet.close();
    }
  });
});
