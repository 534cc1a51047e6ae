// The OpenAI and Anthropic faces, built on the translators in src/translate/.
import { formatSSE, sseComment, type SSEMessage } from '../lib/sse.ts';
import { anthropicToCore } from '../translate/anthropic/anthropic-to-core.ts';
import { anthropicStreamEncoder } from '../translate/anthropic/anthropic-stream-encoder.ts';
import { coreToAnthropicResponse } from '../translate/anthropic/core-to-anthropic-response.ts';
import { coreToOpenAIResponse } from '../translate/openai/core-to-openai-response.ts';
import { openAIStreamEncoder } from '../translate/openai/openai-stream-encoder.ts';
import { openAIToCore } from '../translate/openai/openai-to-core.ts';
import type { FaceAdapter } from './face-adapter.ts';

const frames = (messages: SSEMessage[]): string => messages.map(formatSSE).join('');

function includeUsage(body: unknown): boolean {
  const so = (body as { stream_options?: { include_usage?: unknown } } | null)?.stream_options;
  return so?.include_usage === true;
}

export const openAIAdapter: FaceAdapter = {
  face: 'openai',
  contentType: 'text/event-stream',
  toCore: openAIToCore,
  framer(ids, body) {
    const enc = openAIStreamEncoder({ ...ids, includeUsage: includeUsage(body) });
    return {
      encode: (e) => frames(enc.encode(e)),
      keepAlive: () => sseComment('queued'),
      error: (err) => frames([...enc.error(err), { data: '[DONE]' }]),
    };
  },
  render: (result, ids) => coreToOpenAIResponse(result, ids),
};

export const anthropicAdapter: FaceAdapter = {
  face: 'anthropic',
  contentType: 'text/event-stream',
  toCore: anthropicToCore,
  framer(ids) {
    const enc = anthropicStreamEncoder({ id: ids.id, model: ids.model, inputTokens: ids.inputTokens });
    return {
      encode: (e) => frames(enc.encode(e)),
      keepAlive: () => frames(enc.ping()),
      error: (err) => frames(enc.error(err)),
    };
  },
  render: (result, ids) => coreToAnthropicResponse(result, ids),
};
