// One chat message on Ollama's wire: requests carry the conversation, responses one assistant
// message (a delta of it in stream chunks).
import { z } from 'zod';
import { OllamaToolCallSchema } from './tool.ts';

export const OllamaRoleSchema = z.enum(['system', 'user', 'assistant', 'tool']);

export const OllamaMessageSchema = z.looseObject({
  role: OllamaRoleSchema,
  /** text; Ollama treats a missing content as empty */
  content: z.string().default(''),
  /** base64-encoded images, without a data: prefix (responses may carry null) */
  images: z.array(z.string()).nullable().optional(),
  tool_calls: z.array(OllamaToolCallSchema).nullable().optional(),
  /** the model's reasoning (with `think`) */
  thinking: z.string().optional(),
  /** tool messages: the name of the tool whose result this is */
  tool_name: z.string().optional(),
});

export type OllamaRole = z.infer<typeof OllamaRoleSchema>;
export type OllamaMessage = z.infer<typeof OllamaMessageSchema>;
