// What a responder may know about a request beyond its messages: the agent that sent it (the
// x-orchestra-agent header, when the caller passes it on) and each offered tool's argument schema.
import type { Context } from 'hono';

/** the x-orchestra-agent header as a GenerationInput field ({} when absent or blank) */
export function agentOf(c: Context): { agent?: string } {
  const agent = c.req.header('x-orchestra-agent')?.trim();
  return agent ? { agent } : {};
}

/** tool name -> JSON Schema of its arguments (tools without one are left out) */
export function parametersOf(
  functions: readonly { name: string; parameters?: Record<string, unknown> | null | undefined }[],
): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const f of functions) if (f.parameters) out[f.name] = f.parameters;
  return out;
}
