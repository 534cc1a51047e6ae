// Pure mappers between core chat types and Ollama's native API.
export * from './ollama-event-decoder.ts';
export * from './timings.ts';
export * from './to-ollama-chat.ts';
