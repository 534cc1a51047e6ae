// POST /v1/messages/count_tokens: the body -> {input_tokens}, an estimate (see estimateTokens).
import type { RequestMeta } from '../../core/chat.ts';
import type { AnthropicCountTokensResponse } from '../../protocol/anthropic/messages-request.ts';
import { estimateTokens } from '../shared/estimate-tokens.ts';
import { anthropicCountTokensToCore } from './anthropic-to-core.ts';

export function anthropicCountTokens(body: unknown, meta: RequestMeta): AnthropicCountTokensResponse {
  return { input_tokens: estimateTokens(anthropicCountTokensToCore(body, meta)) };
}
