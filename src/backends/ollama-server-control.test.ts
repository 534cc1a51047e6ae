import { describe, expect, it } from 'vitest';
import { ModelSchema, ServerSchema } from '../config/schema.ts';
import { AppError } from '../core/errors/index.ts';
import type { ModelServerControl } from '../scheduler/scheduler-port.ts';
import { ollamaServerControl, sameOllamaTag } from './ollama-server-control.ts';
import { jsonResponse, scriptedFetch } from './testing/scripted-fetch.ts';

const created_at = '2025-01-01T00:00:00Z';
const servers = [
  ServerSchema.parse({ name: 'mini', url: 'http://mini:11434' }),
  ServerSchema.parse({ name: 'cloud', url: 'https://api.anthropic.com', kind: 'anthropic' }),
];
const models = [
  ModelSchema.parse({ name: 'qwen2.5:14b', contextTokens: 16384, servers: ['mini'] }),
  ModelSchema.parse({ name: 'functiongemma', contextTokens: 4096, servers: ['mini'] }),
];

function setup() {
  const f = scriptedFetch((call) => {
    if (call.path === '/api/ps')
      return jsonResponse({
        models: [
          {
            name: 'functiongemma:latest',
            model: 'functiongemma:latest',
            size: 1,
            size_vram: 1,
            digest: 'a',
            expires_at: created_at,
          },
          { name: 'llava:7b', model: 'llava:7b', size: 1, size_vram: 1, digest: 'b', expires_at: created_at },
        ],
      });
    const body = call.body as { keep_alive?: number };
    return jsonResponse({
      model: 'm',
      created_at,
      message: { role: 'assistant', content: '' },
      done: true,
      done_reason: body.keep_alive === 0 ? 'unload' : 'load',
      load_duration: 2_500_000_000,
    });
  });
  // Type check: the backend's control must stay assignable to the scheduler's port.
  const control: ModelServerControl = ollamaServerControl({ servers, models, fetch: f.fetch });
  return { control, calls: f.calls };
}

describe('ollamaServerControl', () => {
  it('loads with the configured num_ctx and keep_alive -1', async () => {
    const { control, calls } = setup();
    const r = await control.load('mini', 'qwen2.5:14b');
    expect(r.loadMs).toBe(2500); // Ollama's reported load_duration (ns) in ms
    expect(calls[0]).toMatchObject({
      path: '/api/chat',
      body: {
        model: 'qwen2.5:14b',
        messages: [],
        options: { num_ctx: 16384 },
        keep_alive: -1,
        stream: false,
      },
    });
  });

  it('unloads with keep_alive 0', async () => {
    const { control, calls } = setup();
    await control.unload('mini', 'functiongemma');
    expect(calls[0]!.body).toEqual({ model: 'functiongemma', messages: [], keep_alive: 0, stream: false });
  });

  it('loaded() reads /api/ps and maps tags to fleet names, keeping unknown ones', async () => {
    const { control, calls } = setup();
    expect(await control.loaded('mini')).toEqual(['functiongemma', 'llava:7b']);
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual(['GET /api/ps']);
  });

  it('rejects unknown servers, cloud servers and unknown models', async () => {
    const { control, calls } = setup();
    await expect(control.load('nope', 'functiongemma')).rejects.toMatchObject({ code: 'not_found' });
    await expect(control.load('cloud', 'functiongemma')).rejects.toThrow(/anthropic server/);
    await expect(control.load('mini', 'gpt-9')).rejects.toBeInstanceOf(AppError);
    expect(calls).toEqual([]);
  });

  it('treats name and name:latest as one tag', () => {
    expect(sameOllamaTag('a', 'a:latest')).toBe(true);
    expect(sameOllamaTag('a:7b', 'a:latest')).toBe(false);
  });
});
