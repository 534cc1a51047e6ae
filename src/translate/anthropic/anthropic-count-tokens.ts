// POST /v1/messages/count_tokens: the body -> {input_tokens}, an estimate (see estimateTokens).
import type { RequestMeta } from '../../core/chat.ts';
import type { AnthropicCountTokensResponse } from '../../protocol/anthropic/messages-request.ts';
import { estimateTokens } from '../shared/estimate-tokens.ts';
import { anthropicCountTokensToCore } from './anthropic-to-core.ts';

/** the estimate, and the model it was asked for (the caller checks the key may use it) */
export function anthropicCountTokens(
  body: unknown,
  meta: RequestMeta,
): { model: string; response: AnthropicCountTokensResponse } {
  const request = anthropicCountTokensToCore(body, meta);
  return { model: request.model, response: { input_tokens: estimateTokens(request) } };
}
