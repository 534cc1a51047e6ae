// The Anthropic Messages face: wire -> core (requests), core -> wire (responses, streams, errors),
// and the reverse direction for the Anthropic cloud backend.
export { anthropicToCore, anthropicCountTokensToCore } from './anthropic-to-core.ts';
export { anthropicCountTokens } from './anthropic-count-tokens.ts';
export { coreToAnthropicResponse, type AnthropicResponseIds } from './core-to-anthropic-response.ts';
export {
  anthropicStreamEncoder,
  anthropicPing,
  type AnthropicStreamEncoder,
  type AnthropicStreamEncoderOptions,
} from './anthropic-stream-encoder.ts';
export { toAnthropicError, anthropicErrorType } from './anthropic-error.ts';
export { coreToAnthropicRequest, type CoreToAnthropicOptions } from './core-to-anthropic-request.ts';
export { anthropicResponseToCore, anthropicErrorToCore } from './anthropic-response-to-core.ts';
export { anthropicStreamDecoder, type AnthropicStreamDecoder } from './anthropic-stream-decoder.ts';
export { toAnthropicStopReason, fromAnthropicStopReason } from './stop-reason.ts';
