// One shape for what the official openai, @anthropic-ai/sdk and ollama clients make of a chat
// answer (text, tool calls, finish reason), streamed and not, so tool-call tests run per client.
import Anthropic from '@anthropic-ai/sdk';
import { Ollama } from 'ollama';
import OpenAI from 'openai';

export interface ClientAnswer {
  text: string;
  calls: { name: string; arguments: unknown }[];
  /** the face's own word: tool_calls / tool_use / stop / end_turn ... */
  finish: string | null | undefined;
  /** text chunks as the client received them (streamed answers) */
  chunks: string[];
}

export interface ToolDef {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** the tool the repair tests offer */
export const WRITE: ToolDef = {
  name: 'write_file',
  description: 'Write a file',
  parameters: {
    type: 'object',
    properties: { path: { type: 'string' }, content: { type: 'string' } },
    required: ['path', 'content'],
  },
};

export type ClientName = 'openai' | 'anthropic' | 'ollama';
export const CLIENTS: ClientName[] = ['openai', 'anthropic', 'ollama'];

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** the finish reason each face uses for "the answer ends with tool calls" */
export const TOOL_FINISH: Record<ClientName, string> = {
  openai: 'tool_calls',
  anthropic: 'tool_use',
  ollama: 'stop',
};

export async function ask(
  client: ClientName,
  base: string,
  fetch: Fetch,
  o: { model: string; prompt: string; tools: ToolDef[]; stream: boolean },
): Promise<ClientAnswer> {
  if (client === 'openai')
    return askOpenAI(new OpenAI({ baseURL: `${base}/v1`, apiKey: 'k', fetch, maxRetries: 0 }), o);
  if (client === 'anthropic')
    return askAnthropic(new Anthropic({ baseURL: base, apiKey: 'k', fetch, maxRetries: 0 }), o);
  return askOllama(new Ollama({ host: base, fetch }), o);
}

type Ask = { model: string; prompt: string; tools: ToolDef[]; stream: boolean };

async function askOpenAI(c: OpenAI, o: Ask): Promise<ClientAnswer> {
  const base = {
    model: o.model,
    messages: [{ role: 'user' as const, content: o.prompt }],
    tools: o.tools.map((t) => ({ type: 'function' as const, function: t })),
  };
  if (!o.stream) {
    const r = await c.chat.completions.create(base);
    const m = r.choices[0]!.message;
    return {
      text: m.content ?? '',
      calls: (m.tool_calls ?? []).map((t) => {
        if (t.type !== 'function') throw new Error('a custom tool call');
        return { name: t.function.name, arguments: JSON.parse(t.function.arguments) as unknown };
      }),
      finish: r.choices[0]!.finish_reason,
      chunks: [],
    };
  }
  const chunks: string[] = [];
  const calls = new Map<number, { name: string; args: string }>();
  let finish: string | null | undefined;
  for await (const part of await c.chat.completions.create({ ...base, stream: true })) {
    const ch = part.choices[0];
    if (!ch) continue;
    if (ch.delta.content) chunks.push(ch.delta.content);
    for (const t of ch.delta.tool_calls ?? []) {
      const cur = calls.get(t.index) ?? { name: '', args: '' };
      cur.name += t.function?.name ?? '';
      cur.args += t.function?.arguments ?? '';
      calls.set(t.index, cur);
    }
    if (ch.finish_reason) finish = ch.finish_reason;
  }
  return {
    text: chunks.join(''),
    calls: [...calls.values()].map((t) => ({ name: t.name, arguments: JSON.parse(t.args) as unknown })),
    finish,
    chunks,
  };
}

async function askAnthropic(c: Anthropic, o: Ask): Promise<ClientAnswer> {
  const base = {
    model: o.model,
    max_tokens: 1024,
    messages: [{ role: 'user' as const, content: o.prompt }],
    tools: o.tools.map((t) => ({
      name: t.name,
      description: t.description,
      input_schema: t.parameters as Anthropic.Tool.InputSchema,
    })),
  };
  const fromMessage = (m: Anthropic.Message, chunks: string[]): ClientAnswer => ({
    text: m.content.map((b) => (b.type === 'text' ? b.text : '')).join(''),
    calls: m.content.flatMap((b) => (b.type === 'tool_use' ? [{ name: b.name, arguments: b.input }] : [])),
    finish: m.stop_reason,
    chunks,
  });
  if (!o.stream) return fromMessage(await c.messages.create(base), []);
  const chunks: string[] = [];
  const stream = c.messages.stream(base);
  stream.on('text', (t) => chunks.push(t));
  return fromMessage(await stream.finalMessage(), chunks);
}

async function askOllama(c: Ollama, o: Ask): Promise<ClientAnswer> {
  const base = {
    model: o.model,
    messages: [{ role: 'user', content: o.prompt }],
    tools: o.tools.map((t) => ({ type: 'function', function: t })),
  };
  const callsOf = (m: { tool_calls?: { function: { name: string; arguments: unknown } }[] }) =>
    (m.tool_calls ?? []).map((t) => ({ name: t.function.name, arguments: t.function.arguments }));
  if (!o.stream) {
    const r = await c.chat({ ...base, stream: false });
    return { text: r.message.content, calls: callsOf(r.message), finish: r.done_reason, chunks: [] };
  }
  const chunks: string[] = [];
  const calls: ClientAnswer['calls'] = [];
  let finish: string | undefined;
  for await (const part of await c.chat({ ...base, stream: true })) {
    if (part.message.content) chunks.push(part.message.content);
    calls.push(...callsOf(part.message));
    if (part.done) finish = part.done_reason;
  }
  return { text: chunks.join(''), calls, finish, chunks };
}
