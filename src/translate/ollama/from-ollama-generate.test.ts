import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors/index.ts';
import { OllamaGenerateRequestSchema, type OllamaGenerateRequestInput } from '../../protocol/ollama/index.ts';
import { fromOllamaGenerateRequest } from './from-ollama-generate.ts';

const meta = { requestId: 'req_1' };
const map = (body: OllamaGenerateRequestInput) =>
  fromOllamaGenerateRequest(OllamaGenerateRequestSchema.parse(body), meta);

describe('Ollama /api/generate -> core request', () => {
  it('makes the prompt one user message, with images, the system prompt and the options', () => {
    const r = map({
      model: 'coder',
      prompt: 'Describe this',
      system: 'Be brief.',
      images: ['iVBORw0KGgoAAA'],
      format: 'json',
      options: { temperature: 0.2, num_predict: 40, stop: ['\n\n'], num_ctx: 4096 },
      keep_alive: '5m',
      think: true,
    });
    expect(r).toEqual({
      model: 'coder',
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Describe this' },
            { type: 'image', mediaType: 'image/png', data: 'iVBORw0KGgoAAA' },
          ],
        },
      ],
      system: 'Be brief.',
      stream: true,
      responseFormat: { type: 'json' },
      temperature: 0.2,
      maxTokens: 40,
      stop: ['\n\n'],
      thinking: true,
      meta,
    });
  });

  it('streams unless stream is false, as Ollama does', () => {
    expect(map({ model: 'm', prompt: 'x' }).stream).toBe(true);
    expect(map({ model: 'm', prompt: 'x', stream: false }).stream).toBe(false);
  });

  it.each([
    [{ raw: true }, 'raw', 'raw: a raw prompt (raw: true) is not supported'],
    [{ template: '{{ .Prompt }}' }, 'template', 'template: a prompt template is not supported'],
    [{ suffix: '}\n' }, 'suffix', 'suffix: fill-in-the-middle (suffix) is not supported'],
    [{ context: [1, 2, 3] }, 'context', 'context: the token context of an earlier /api/generate'],
  ])('refuses what only a raw completion honours: %o', (extra, path, message) => {
    const e = (() => {
      try {
        return map({ model: 'm', prompt: 'x', ...extra });
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(AppError);
    expect(e).toMatchObject({ code: 'bad_request', path });
    expect((e as AppError).message).toContain(message);
    expect((e as AppError).message).toContain('/api/chat');
  });

  it('accepts the empty forms of those fields, which clients send by default', () => {
    expect(() =>
      map({ model: 'm', prompt: 'x', raw: false, template: '', suffix: '', context: [] }),
    ).not.toThrow();
  });

  it('refuses an empty prompt (a load or unload by hand) with a message saying why', () => {
    expect(() => map({ model: 'm' })).toThrow(/prompt: expected a non-empty prompt .*scheduler/);
    expect(() => map({ model: 'm', prompt: '', keep_alive: 0 })).toThrow(AppError);
  });

  it('maps the request of Ollama docs (fixture)', () => {
    const url = new URL('./__fixtures__/generate-request.ollama.json', import.meta.url);
    const r = map(JSON.parse(readFileSync(url, 'utf8')) as OllamaGenerateRequestInput);
    expect(r).toMatchObject({
      model: 'llama3.2',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Why is the sky blue?' }] }],
      temperature: 0.8,
      maxTokens: 100,
      stop: ['\n', 'user:'],
    });
  });
});
