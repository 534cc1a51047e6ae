// The tool-call repair ladder (DESIGN.md "Engine", bullet "Repair ladder"): pure, no I/O.
export { repairToolCalls } from './repair-tool-calls.ts';
export { repairToolCallsSync } from './repair-tool-calls-sync.ts';
export { toOfferedTools } from './offered-tools.ts';
export { matchToolName, normalizeName } from './match-tool-name.ts';
export { coerceToSchema } from './coerce-to-schema.ts';
export { detectNarration } from './detect-narration.ts';
export { repairJsonlLine, type JsonlOutput, type JsonlResult } from './repair-jsonl.ts';
export * from './repair-types.ts';
