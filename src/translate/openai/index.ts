// The OpenAI Chat Completions face: wire -> core (requests), core -> wire (responses, streams,
// errors), and the reverse direction for OpenAI-compatible cloud backends.
export { openAIToCore } from './openai-to-core.ts';
export { coreToOpenAIResponse, type OpenAIResponseIds } from './core-to-openai-response.ts';
export {
  openAIStreamEncoder,
  openAIUsage,
  type OpenAIStreamEncoder,
  type OpenAIStreamEncoderOptions,
} from './openai-stream-encoder.ts';
export { toOpenAIError, openAIErrorType } from './openai-error.ts';
export { coreToOpenAIRequest, type CoreToOpenAIOptions } from './core-to-openai-request.ts';
export { openAIResponseToCore, openAIErrorToCore } from './openai-response-to-core.ts';
export { openAIStreamDecoder, type OpenAIStreamDecoder } from './openai-stream-decoder.ts';
export { toOpenAIFinishReason, fromOpenAIFinishReason } from './finish-reason.ts';
