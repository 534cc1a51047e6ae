// POST /v1/embeddings (OpenAI) and POST /api/embed (Ollama): embeddings through the scheduler.
import type { Hono } from 'hono';
import { handleEmbed } from '../embed-handler.ts';
import type { GatewayServices } from '../gateway-services.ts';

export function embedRoutes(app: Hono, s: GatewayServices): void {
  app.post('/v1/embeddings', (c) => handleEmbed(s, 'openai', c.req.raw));
  app.post('/api/embed', (c) => handleEmbed(s, 'ollama', c.req.raw));
}
