// Ollama's error body, for every status: {"error": "..."}.
import { z } from 'zod';

export const OllamaErrorSchema = z.looseObject({
  error: z.string(),
});

export type OllamaError = z.infer<typeof OllamaErrorSchema>;
