// Model options of Ollama's requests (the `options` object). Known fields are typed; unknown ones
// are kept, because Ollama ignores options it does not know.
import { z } from 'zod';

export const OllamaOptionsSchema = z.looseObject({
  /** context window in tokens; a different value for loaded weights makes Ollama reload them */
  num_ctx: z.number().int().positive().optional(),
  /** maximum tokens to generate; -1 means no limit */
  num_predict: z.number().int().optional(),
  num_keep: z.number().int().optional(),
  num_batch: z.number().int().optional(),
  num_gpu: z.number().int().optional(),
  num_thread: z.number().int().optional(),
  temperature: z.number().optional(),
  top_p: z.number().optional(),
  top_k: z.number().int().optional(),
  min_p: z.number().optional(),
  typical_p: z.number().optional(),
  repeat_last_n: z.number().int().optional(),
  repeat_penalty: z.number().optional(),
  presence_penalty: z.number().optional(),
  frequency_penalty: z.number().optional(),
  seed: z.number().int().optional(),
  stop: z.array(z.string()).optional(),
  use_mmap: z.boolean().optional(),
});

export type OllamaOptions = z.infer<typeof OllamaOptionsSchema>;
