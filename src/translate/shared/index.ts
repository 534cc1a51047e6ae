export { parseWire, formatPath } from './parse-wire.ts';
export { estimateTokens, textTokens } from './estimate-tokens.ts';
export { parseAgentIdentity, type AgentIdentity } from './agent-identity.ts';
export { decodeImageUrl, toDataUrl } from './data-url.ts';
export { parseToolArguments } from './tool-arguments.ts';
export { checkToolSchema } from './tool-schema.ts';
export { retryHeaders, type ErrorResponse } from './error-response.ts';
