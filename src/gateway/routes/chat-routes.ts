// POST /v1/chat/completions (OpenAI), POST /v1/messages (Anthropic), POST /api/chat (Ollama).
import type { Hono } from 'hono';
import { handleChat, type ClientSocket } from '../chat-handler.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { ollamaAdapter } from '../ollama-adapter.ts';
import { anthropicAdapter, openAIAdapter } from '../openai-anthropic-adapters.ts';

export function chatRoutes(app: Hono, s: GatewayServices): void {
  app.post('/v1/chat/completions', (c) => handleChat(s, openAIAdapter, c.req.raw, socketOf(c.env)));
  app.post('/v1/messages', (c) => handleChat(s, anthropicAdapter, c.req.raw, socketOf(c.env)));
  const ollama = ollamaAdapter(s.ids, () => s.clock.now());
  app.post('/api/chat', (c) => handleChat(s, ollama, c.req.raw, socketOf(c.env)));
}

/** the client's socket under @hono/node-server (env.outgoing is the http.ServerResponse); none
 * when the app is called through app.fetch (tests) */
function socketOf(env: unknown): ClientSocket | undefined {
  const socket = (env as { outgoing?: { socket?: Partial<ClientSocket> | null } } | undefined)?.outgoing
    ?.socket;
  return typeof socket?.cork === 'function' && typeof socket.uncork === 'function'
    ? (socket as ClientSocket)
    : undefined;
}
