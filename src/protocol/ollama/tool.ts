// Tools offered to a model, and the tool calls a model makes, as Ollama's /api/chat carries them.
import { z } from 'zod';

export const OllamaToolSchema = z.looseObject({
  type: z.literal('function').default('function'),
  function: z.looseObject({
    name: z.string().min(1),
    description: z.string().optional(),
    /** JSON Schema of the arguments object */
    parameters: z.record(z.string(), z.unknown()).optional(),
  }),
});

export const OllamaToolCallSchema = z.looseObject({
  /** newer Ollama versions give calls an id; older ones do not */
  id: z.string().optional(),
  type: z.string().optional(),
  function: z.looseObject({
    /** position of the call in the message, when Ollama reports it */
    index: z.number().int().nonnegative().optional(),
    name: z.string(),
    /** arguments as a JSON object, not a string (unlike OpenAI) */
    arguments: z.record(z.string(), z.unknown()).default({}),
  }),
});

export type OllamaTool = z.infer<typeof OllamaToolSchema>;
export type OllamaToolCall = z.infer<typeof OllamaToolCallSchema>;
