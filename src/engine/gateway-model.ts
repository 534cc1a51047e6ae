// Model calls through the gateway's OpenAI face with the AI SDK. Every call carries the agent's
// identity (x-orchestra-agent, x-orchestra-session), so the gateway schedules, counts and repairs
// it like any client's. Tools are offered without `execute`: the engine executes them itself,
// one journaled effect at a time. The SDK's retries are off: the gateway owns fallback and
// retries, and the SDK's back-off would sleep on real time.
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import {
  APICallError,
  generateText,
  jsonSchema,
  NoObjectGeneratedError,
  Output,
  tool,
  type ToolSet,
} from 'ai';
import type { z } from 'zod';
import { AppError } from '../core/errors/index.ts';
import type { FailureKind, GatewayConnection } from './engine-types.ts';
import type { CallProblem as ReplyFailure } from './engine-types.ts';
import type { RepairRung } from '../repair/repair-types.ts';
import { toModelMessages } from './model-messages.ts';
import type { ThreadMessage } from './thread.ts';

export interface ModelTool {
  name: string;
  description: string;
  inputSchema: z.ZodType;
}

export interface ModelRequest {
  alias: string;
  system: string;
  messages: readonly ThreadMessage[];
  tools?: readonly ModelTool[];
  /** a JSON Schema for structured output (sent as response_format json_schema); never with tools */
  schema?: Record<string, unknown>;
  temperature: number;
  maxOutputTokens?: number;
  signal?: AbortSignal;
}

export interface ReplyCall {
  id: string;
  name: string;
  input: unknown;
  /** why the call cannot be executed as it is */
  problem?: ReplyFailure;
}

export type ModelResponse =
  | {
      ok: true;
      text: string;
      calls: ReplyCall[];
      requestId?: string;
      model: string;
      /** the server that answered (x-orchestra-server), when the gateway says */
      server?: string;
      tokensIn: number;
      tokensOut: number;
      /** the repair rung the gateway's ladder needed for the calls (x-orchestra-tool-call-rung) */
      gatewayRung?: RepairRung;
    }
  | { ok: false; kind: FailureKind | 'cancelled'; error: string };

export interface AgentIdentity {
  runId: string;
  agentId: string;
}

export type CallModel = (request: ModelRequest) => Promise<ModelResponse>;

export function gatewayModels(connection: GatewayConnection, identity: AgentIdentity): CallModel {
  const provider = createOpenAICompatible({
    name: 'orchestra',
    baseURL: connection.baseURL,
    ...(connection.fetch ? { fetch: connection.fetch } : {}),
    ...(connection.apiKey ? { apiKey: connection.apiKey } : {}),
    headers: { 'x-orchestra-agent': identity.agentId, 'x-orchestra-session': identity.runId },
    supportsStructuredOutputs: true,
    includeUsage: true,
  });
  return async (request) => {
    if (request.schema && request.tools?.length)
      throw new Error(
        'gatewayModels: a structured-output call offers no tools (Ollama drops tool calls with format)',
      );
    try {
      const result = await generateText({
        model: provider.chatModel(request.alias),
        system: request.system,
        messages: toModelMessages(request.messages),
        temperature: request.temperature,
        maxRetries: 0,
        ...(request.maxOutputTokens ? { maxOutputTokens: request.maxOutputTokens } : {}),
        ...(request.signal ? { abortSignal: request.signal } : {}),
        ...(request.tools?.length ? { tools: toolSet(request.tools) } : {}),
        ...(request.schema ? { output: Output.object({ schema: jsonSchema(request.schema) }) } : {}),
      });
      const headers = result.response.headers ?? {};
      return {
        ok: true,
        text: result.text,
        calls: result.toolCalls.map(replyCall),
        ...(headers['x-request-id'] ? { requestId: headers['x-request-id'] } : {}),
        model: headers['x-orchestra-model'] ?? request.alias,
        ...(headers['x-orchestra-server'] ? { server: headers['x-orchestra-server'] } : {}),
        tokensIn: result.usage.inputTokens ?? 0,
        tokensOut: result.usage.outputTokens ?? 0,
        ...rungOf(headers['x-orchestra-tool-call-rung']),
      };
    } catch (e) {
      // a structured reply that is not the schema's JSON: the arbiter re-asks with the error
      if (NoObjectGeneratedError.isInstance(e)) return unparsedReply(e, request.alias);
      return failed(e, request.signal);
    }
  };
}

function rungOf(header: string | undefined): { gatewayRung?: RepairRung } {
  const n = Number(header);
  return Number.isInteger(n) && n >= 1 && n <= 6 ? { gatewayRung: n as RepairRung } : {};
}

function unparsedReply(e: NoObjectGeneratedError, alias: string): ModelResponse {
  const headers = e.response?.headers ?? {};
  return {
    ok: true,
    text: e.text ?? '',
    calls: [],
    ...(headers['x-request-id'] ? { requestId: headers['x-request-id'] } : {}),
    model: headers['x-orchestra-model'] ?? alias,
    tokensIn: e.usage?.inputTokens ?? 0,
    tokensOut: e.usage?.outputTokens ?? 0,
  };
}

function toolSet(tools: readonly ModelTool[]): ToolSet {
  const set: ToolSet = {};
  for (const t of tools) set[t.name] = tool({ description: t.description, inputSchema: t.inputSchema });
  return set;
}

interface SdkCall {
  toolCallId: string;
  toolName: string;
  input: unknown;
  invalid?: boolean;
  error?: unknown;
}

function replyCall(c: SdkCall): ReplyCall {
  const call: ReplyCall = { id: c.toolCallId, name: c.toolName, input: c.input };
  if (!c.invalid) return call;
  const name = (c.error as { name?: string } | undefined)?.name;
  if (c.toolName.trim() === '') call.problem = { kind: 'empty_name' };
  else if (name === 'AI_NoSuchToolError') call.problem = { kind: 'unknown_tool', name: c.toolName };
  else call.problem = { kind: 'invalid_input', tool: c.toolName, error: validationMessage(c.error) };
  return call;
}

function validationMessage(error: unknown): string {
  let e = error as
    { cause?: unknown; issues?: { path: PropertyKey[]; message: string }[]; message?: string } | undefined;
  for (let i = 0; e && i < 4; i++) {
    if (Array.isArray(e.issues))
      return e.issues.map((x) => `${x.path.join('.') || '(root)'}: ${x.message}`).join('; ');
    if (!e.cause) break;
    e = e.cause;
  }
  return (error as Error | undefined)?.message?.split('\n')[0] ?? 'invalid arguments';
}

function failed(e: unknown, signal: AbortSignal | undefined): ModelResponse {
  const message = e instanceof Error ? e.message : String(e);
  if (signal?.aborted) return { ok: false, kind: 'cancelled', error: 'cancelled' };
  if (APICallError.isInstance(e)) {
    const status = e.statusCode;
    // a refused key is the same for every model: the agent stops with why, instead of marking
    // each specialist down in turn
    if (status === 401 || status === 403)
      throw new AppError(
        status === 401 ? 'unauthorized' : 'forbidden',
        `the gateway at ${e.url} refused the engine's call (${status}): ${message}. Give the engine a key the gateway accepts (GatewayConnection.apiKey, from the environment).`,
      );
    const kind: FailureKind = status === 504 || status === 408 ? 'timeout' : 'backend_down';
    return { ok: false, kind, error: `gateway answered ${status ?? 'no status'}: ${message}` };
  }
  if (/timeout|timed out/i.test(message)) return { ok: false, kind: 'timeout', error: message };
  return { ok: false, kind: 'backend_down', error: message };
}
