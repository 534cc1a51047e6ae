// Ollama /api/generate request -> core ChatRequest, for the gateway's Ollama face. Pure. The
// gateway reaches every model through its chat template (Ollama's /api/chat, or a cloud API), so
// a prompt becomes one user message and `system` the system prompt; what only a raw completion can
// honour (raw prompts, templates, fill-in-the-middle suffixes, token contexts) is refused with a
// clear error rather than silently answered as something else.
import type { ChatRequest, ContentPart, RequestMeta } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import type { OllamaGenerateRequest } from '../../protocol/ollama/index.ts';
import { applyOllamaOptions, imageMediaType, ollamaResponseFormat } from './from-ollama-chat.ts';

export function fromOllamaGenerateRequest(wire: OllamaGenerateRequest, meta: RequestMeta): ChatRequest {
  refuseRawCompletion(wire);
  const prompt = wire.prompt ?? '';
  const images = wire.images ?? [];
  if (prompt === '' && images.length === 0)
    throw new AppError(
      'bad_request',
      'prompt: expected a non-empty prompt (an empty one is how Ollama loads or unloads a model by hand; behind the gateway its scheduler does that)',
      { path: 'prompt' },
    );
  const content: ContentPart[] = [];
  if (prompt !== '') content.push({ type: 'text', text: prompt });
  for (const data of images) content.push({ type: 'image', mediaType: imageMediaType(data), data });
  const request: ChatRequest = {
    model: wire.model,
    messages: [{ role: 'user', content }],
    stream: wire.stream ?? true,
    meta,
  };
  if (wire.system !== undefined && wire.system !== '') request.system = wire.system;
  const format = ollamaResponseFormat(wire.format);
  if (format !== undefined) request.responseFormat = format;
  applyOllamaOptions(request, wire.options ?? {});
  if (wire.think !== undefined) request.thinking = wire.think !== false;
  return request;
}

function refuseRawCompletion(wire: OllamaGenerateRequest): void {
  const refuse = (path: string, what: string): never => {
    throw new AppError(
      'bad_request',
      `${path}: ${what} is not supported by the gateway, which sends every prompt through the model's chat template; leave it out, or send the conversation to /api/chat`,
      { path },
    );
  };
  if (wire.raw === true) refuse('raw', 'a raw prompt (raw: true)');
  if (wire.template !== undefined && wire.template !== '') refuse('template', 'a prompt template');
  if (wire.suffix !== undefined && wire.suffix !== '') refuse('suffix', 'fill-in-the-middle (suffix)');
  if (wire.context !== undefined && wire.context.length > 0)
    refuse('context', 'the token context of an earlier /api/generate');
}
