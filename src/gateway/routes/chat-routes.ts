// POST /v1/chat/completions (OpenAI), POST /v1/messages (Anthropic), POST /api/chat (Ollama).
import type { Hono } from 'hono';
import { handleChat } from '../chat-handler.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { ollamaAdapter } from '../ollama-adapter.ts';
import { anthropicAdapter, openAIAdapter } from '../openai-anthropic-adapters.ts';

export function chatRoutes(app: Hono, s: GatewayServices): void {
  app.post('/v1/chat/completions', (c) => handleChat(s, openAIAdapter, c.req.raw));
  app.post('/v1/messages', (c) => handleChat(s, anthropicAdapter, c.req.raw));
  const ollama = ollamaAdapter(s.ids, () => s.clock.now());
  app.post('/api/chat', (c) => handleChat(s, ollama, c.req.raw));
}
