// The Anthropic cloud backend: core request -> Messages API (always streamed) -> core events, with
// the translators of src/translate/anthropic. fetch and the key are injected.
import type { ModelConfig } from '../../config/index.ts';
import type { ChatEvent, ChatRequest } from '../../core/chat.ts';
import { AppError } from '../../core/errors/index.ts';
import {
  anthropicErrorToCore,
  anthropicStreamDecoder,
  coreToAnthropicRequest,
} from '../../translate/anthropic/index.ts';
import { jsonOrUndefined, postJson, retryAfterOf, sseFrames } from './cloud-http.ts';
import { upstreamNameOf } from '../upstream-name.ts';

export interface CloudBackendOptions {
  /** e.g. https://api.anthropic.com */
  baseUrl: string;
  apiKey: string;
  model: ModelConfig;
  fetch?: typeof fetch;
}

const API_VERSION = '2023-06-01';

export function anthropicBackend(o: CloudBackendOptions) {
  const fetchFn = o.fetch ?? globalThis.fetch.bind(globalThis);
  const url = `${o.baseUrl.replace(/\/+$/, '')}/v1/messages`;
  return {
    async *chat(request: ChatRequest, { signal }: { signal: AbortSignal }): AsyncGenerator<ChatEvent> {
      const body = {
        ...coreToAnthropicRequest(request, { model: upstreamNameOf(o.model) }),
        stream: true,
      };
      const headers = { 'x-api-key': o.apiKey, 'anthropic-version': API_VERSION };
      const res = await postJson(fetchFn, url, headers, body, signal, 'Anthropic');
      if (!res.ok) throw await httpError(res);
      const decoder = anthropicStreamDecoder();
      for await (const frame of sseFrames(res, signal, 'Anthropic')) yield* decoder.decode(frame);
      yield* decoder.end();
    },
  };
}

async function httpError(res: Response): Promise<AppError> {
  const body = (await jsonOrUndefined(res)) as { error?: { type?: unknown; message?: unknown } } | undefined;
  const type = typeof body?.error?.type === 'string' ? body.error.type : statusType(res.status);
  const message = typeof body?.error?.message === 'string' ? body.error.message : `HTTP ${res.status}`;
  const e = anthropicErrorToCore(type, message, retryAfterOf(res));
  return new AppError(e.code, e.message, {
    upstreamStatus: res.status,
    retryAfterSeconds: e.retryAfterSeconds,
  });
}

function statusType(status: number): string {
  if (status === 429) return 'rate_limit_error';
  if (status === 529 || status === 503) return 'overloaded_error';
  if (status === 404) return 'not_found_error';
  if (status === 400) return 'invalid_request_error';
  return 'api_error';
}
