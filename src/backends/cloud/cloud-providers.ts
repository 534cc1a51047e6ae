// The cloud servers of a fleet (kind anthropic / openai) with their API keys from the environment.
// A server whose key is missing is disabled with a warning and skipped in chains; it never stops
// the gateway from starting.
import type { FleetConfig, ModelConfig, ServerConfig } from '../../config/index.ts';
import type { ChatEvent, ChatRequest } from '../../core/chat.ts';
import { anthropicBackend } from './anthropic-backend.ts';
import { openAIBackend } from './openai-backend.ts';

export interface CloudChatBackend {
  chat(request: ChatRequest, options: { signal: AbortSignal }): AsyncIterable<ChatEvent>;
}

export interface CloudProviders {
  /** undefined when `server` is not a cloud server or is disabled */
  backendFor(server: ServerConfig, model: ModelConfig): CloudChatBackend | undefined;
  /** why a cloud server is disabled; undefined when it is enabled or not a cloud server */
  disabledReason(server: ServerConfig): string | undefined;
  /** one line per disabled server, for the start-up log */
  warnings: string[];
  enabled: string[];
}

export function cloudProviders(
  fleet: Pick<FleetConfig, 'servers'>,
  env: Readonly<Record<string, string | undefined>>,
  fetchFn?: typeof fetch,
): CloudProviders {
  const keys = new Map<string, string>();
  const warnings: string[] = [];
  const disabled = new Map<string, string>();
  for (const s of fleet.servers) {
    if (s.kind === 'ollama') continue;
    const envName = s.apiKeyEnv ?? (s.kind === 'anthropic' ? 'ANTHROPIC_API_KEY' : 'OPENAI_API_KEY');
    const key = env[envName];
    if (key) keys.set(s.name, key);
    else {
      disabled.set(s.name, `environment variable ${envName} is not set`);
      warnings.push(`cloud server ${s.name} (${s.kind}) is disabled: ${disabled.get(s.name)}`);
    }
  }
  const cache = new Map<string, CloudChatBackend>();
  return {
    warnings,
    enabled: [...keys.keys()],
    disabledReason: (server) => disabled.get(server.name),
    backendFor(server, model) {
      const apiKey = keys.get(server.name);
      if (apiKey === undefined) return undefined;
      const id = `${server.name}\u0000${model.name}`;
      let b = cache.get(id);
      if (!b) {
        const o = { baseUrl: server.url, apiKey, model, fetch: fetchFn };
        b = server.kind === 'anthropic' ? anthropicBackend(o) : openAIBackend(o);
        cache.set(id, b);
      }
      return b;
    },
  };
}
