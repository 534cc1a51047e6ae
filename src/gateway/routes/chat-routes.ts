// POST /v1/chat/completions (OpenAI), POST /v1/messages (Anthropic), POST /api/chat and
// /api/generate (Ollama).
import type { Hono } from 'hono';
import { handleChat } from '../chat-handler.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { nodeRequestOf, type NodeRequest } from '../node-request.ts';
import type { NodeResponse } from '../response-sink.ts';
import { ollamaAdapter, ollamaGenerateAdapter } from '../ollama-adapter.ts';
import { anthropicAdapter, openAIAdapter } from '../openai-anthropic-adapters.ts';

export function chatRoutes(app: Hono, s: GatewayServices): void {
  app.post('/v1/chat/completions', (c) => handleChat(s, openAIAdapter, c.req.raw, nodeOf(c.env)));
  app.post('/v1/messages', (c) => handleChat(s, anthropicAdapter, c.req.raw, nodeOf(c.env)));
  const ollama = ollamaAdapter(s.ids, () => s.clock.now());
  app.post('/api/chat', (c) => handleChat(s, ollama, c.req.raw, nodeOf(c.env)));
  const generate = ollamaGenerateAdapter(() => s.clock.now());
  app.post('/api/generate', (c) => handleChat(s, generate, c.req.raw, nodeOf(c.env)));
}

/** the client's node:http request and response under @hono/node-server (env.incoming and
 * env.outgoing); neither when the app is called through app.fetch (tests, the in-process demo) */
function nodeOf(env: unknown): { incoming?: NodeRequest; outgoing?: NodeResponse } {
  const incoming = nodeRequestOf(env);
  const outgoing = outgoingOf(env);
  return { ...(incoming ? { incoming } : {}), ...(outgoing ? { outgoing } : {}) };
}

function outgoingOf(env: unknown): NodeResponse | undefined {
  const outgoing = (env as { outgoing?: Partial<NodeResponse> | null } | undefined)?.outgoing;
  const usable = ['writeHead', 'flushHeaders', 'write', 'end'].every(
    (m) => typeof outgoing?.[m as keyof NodeResponse] === 'function',
  );
  return usable ? (outgoing as NodeResponse) : undefined;
}
