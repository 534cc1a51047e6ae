// The official `ollama` npm client against a running `orchestra emulate` (the command's own code,
// on examples/mac-mini.yaml moved to a free port), with emulated time running 1000x faster than
// real time: a 26 s load of a 32B takes 26 ms.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Ollama } from 'ollama';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEmulate } from '../../src/cli/commands/emulate.ts';
import { MAC_MINI_FILE } from '../../src/emulator/testing/emulator-harness.ts';

const CODER = 'qwen2.5-coder:32b-instruct';

describe('official ollama client -> orchestra emulate (mac-mini) on a socket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'orch-e2e-emulate-'));
  const stop = new AbortController();
  const out: string[] = [];
  let running: Promise<number>;
  let url: string;
  let ollama: Ollama;

  beforeAll(async () => {
    const config = join(dir, 'mac-mini.yaml');
    writeFileSync(
      config,
      readFileSync(MAC_MINI_FILE, 'utf8')
        .replace('http://127.0.0.1:11434', 'http://127.0.0.1:0')
        // the fleet's script paths are relative to its file, which this copy is not beside
        .replace('main-job/replies.yaml', join(dirname(MAC_MINI_FILE), 'main-job/replies.yaml')),
    );
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(l) };
    running = runEmulate(['--config', config, '--time-scale', '0.001'], io, stop.signal);
    for (let i = 0; i < 20_000 && !out.some((l) => l.startsWith('Ctrl-C')); i++)
      await new Promise((r) => setImmediate(r));
    url = /^emulating mac-mini at (http:\/\/\S+):/m.exec(out.join('\n'))![1]!;
    ollama = new Ollama({ host: url });
  });

  afterAll(async () => {
    stop.abort();
    expect(await running).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  const loaded = async (): Promise<string[]> => (await ollama.ps()).models.map((m) => m.name);

  it('lists the models of the server', async () => {
    const list = await ollama.list();
    expect(list.models.map((m) => m.name)).toEqual([CODER, 'qwen-quality-128k:latest', 'qwen-fast:latest']);
    // qwen-fast is resident at start, for its 5 min keep-alive (0.3 s of wall time here)
    expect((await loaded()).every((n) => n === 'qwen-fast:latest')).toBe(true);
  });

  it('chats without streaming', async () => {
    const r = await ollama.chat({
      model: 'qwen-fast',
      messages: [{ role: 'user', content: 'Hello?' }],
      options: { num_predict: 12 },
    });
    expect(r.done).toBe(true);
    expect(r.message.role).toBe('assistant');
    expect(r.eval_count).toBe(12);
    expect(r.message.content.split(' ')).toHaveLength(12);
  });

  it('chats with streaming, one chunk per token', async () => {
    const stream = await ollama.chat({
      model: 'qwen-fast',
      messages: [{ role: 'user', content: 'Stream please.' }],
      options: { num_predict: 8 },
      stream: true,
    });
    const parts: string[] = [];
    let last: { done: boolean; eval_count: number } | undefined;
    for await (const chunk of stream) {
      parts.push(chunk.message.content);
      last = chunk;
    }
    expect(parts).toHaveLength(9);
    expect(last).toMatchObject({ done: true, eval_count: 8 });
  });

  it('loads a model with an empty prompt, unloads it with keep_alive 0, and /api/ps follows', async () => {
    // keep_alive -1: stays loaded however slow this machine is (no real-time race in the test)
    const load = await ollama.generate({ model: CODER, prompt: '', keep_alive: -1 });
    expect(load.done_reason).toBe('load');
    // 20.5 GiB for the 32B leaves no room for qwen-fast: Ollama's scheduler evicted it.
    expect(await loaded()).toEqual([CODER]);
    const ps = await ollama.ps();
    expect(ps.models[0]!.size_vram).toBeGreaterThan(20 * 1024 ** 3);
    expect(new Date(ps.models[0]!.expires_at).getUTCFullYear()).toBeGreaterThan(2300); // forever
    const unload = await ollama.chat({ model: CODER, messages: [], keep_alive: 0 });
    expect(unload.done_reason).toBe('unload');
    expect(await loaded()).toEqual([]);
  });

  it('answers bad input in Ollama’s shape over HTTP', async () => {
    const res = await fetch(`${url}/api/chat`, { method: 'POST', body: '{"model":' });
    expect(res.status).toBe(400);
    expect(Object.keys((await res.json()) as object)).toEqual(['error']);
    await expect(
      ollama.chat({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow(/not found/);
  });
});
