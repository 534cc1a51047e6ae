// Zod wire schemas of Ollama's native API (docs/api.md). Request schemas type the known fields and
// keep unknown ones (Ollama ignores them); response schemas accept fields newer versions add.
export * from './chat.ts';
export * from './common.ts';
export * from './embed.ts';
export * from './error.ts';
export * from './generate.ts';
export * from './keep-alive.ts';
export * from './message.ts';
export * from './options.ts';
export * from './ps.ts';
export * from './show.ts';
export * from './tags.ts';
export * from './tool.ts';
export * from './version.ts';
