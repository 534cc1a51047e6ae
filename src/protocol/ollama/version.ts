// GET /api/version.
import { z } from 'zod';

/**
 * The Ollama version whose API the emulator and the gateway's Ollama face follow; clients compare
 * it with the versions that added a feature (tools, thinking), so it names Ollama's, not ours.
 */
export const OLLAMA_API_VERSION = '0.12.6';

export const OllamaVersionResponseSchema = z.looseObject({
  version: z.string(),
});

export type OllamaVersionResponse = z.infer<typeof OllamaVersionResponseSchema>;
