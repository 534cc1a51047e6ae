// OpenAI-compatible cloud backend (OpenAI, OpenRouter, vLLM, LM Studio...): core request -> Chat
// Completions (always streamed) -> core events, with the translators of src/translate/openai.
import type { ChatEvent, ChatRequest } from '../../core/chat.ts';
import { openAIErrorToCore, openAIStreamDecoder, coreToOpenAIRequest } from '../../translate/openai/index.ts';
import type { CloudBackendOptions } from './anthropic-backend.ts';
import { jsonOrUndefined, postJson, retryAfterOf, sseFrames } from './cloud-http.ts';
import { upstreamNameOf } from '../upstream-name.ts';

export function openAIBackend(o: CloudBackendOptions) {
  const fetchFn = o.fetch ?? globalThis.fetch.bind(globalThis);
  const base = o.baseUrl.replace(/\/+$/, '');
  // base URLs are given with or without the /v1 suffix
  const url = base.endsWith('/v1') ? `${base}/chat/completions` : `${base}/v1/chat/completions`;
  return {
    async *chat(request: ChatRequest, { signal }: { signal: AbortSignal }): AsyncGenerator<ChatEvent> {
      const body = coreToOpenAIRequest({ ...request, stream: true }, { model: upstreamNameOf(o.model) });
      const res = await postJson(
        fetchFn,
        url,
        { authorization: `Bearer ${o.apiKey}` },
        body,
        signal,
        'OpenAI-compatible',
      );
      if (!res.ok) throw openAIErrorToCore(res.status, await jsonOrUndefined(res), retryAfterOf(res));
      const decoder = openAIStreamDecoder();
      for await (const frame of sseFrames(res, signal, 'OpenAI-compatible')) yield* decoder.decode(frame);
      yield* decoder.end();
    },
  };
}
