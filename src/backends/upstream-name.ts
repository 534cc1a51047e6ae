import type { ModelConfig } from '../config/schema.ts';

/** the name the upstream API knows a fleet model by (Ollama tag or cloud model id) */
export const upstreamNameOf = (m: Pick<ModelConfig, 'name' | 'upstreamName'>): string =>
  m.upstreamName ?? m.name;
