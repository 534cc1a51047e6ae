// Pure mappers between core chat types and Ollama's native API, both directions.
export * from './from-ollama-chat.ts';
export * from './ollama-event-decoder.ts';
export * from './timings.ts';
export * from './to-ollama-chat.ts';
export * from './to-ollama-chunks.ts';
export * from './from-ollama-generate.ts';
export * from './to-ollama-generate-chunks.ts';
