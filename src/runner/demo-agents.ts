// Closed-loop demo agents: each one talks to the gateway like a coding agent does (Claude Code on
// the Anthropic API, streaming; other agents on the OpenAI API), waits for the reply, "runs a
// tool" for a while, and sends the next turn with a context that has grown. Time is the injected
// clock's; sizes are seeded, so two runs with the same seed send the same requests.
import type { Clock } from '../lib/clock.ts';
import { logNormal, seededRandom, type Random } from '../lib/random.ts';
import { parseSSE } from '../lib/sse.ts';

export interface DemoAgentSpec {
  id: string;
  /** public model name (alias) the agent asks for */
  alias: string;
  api: 'anthropic' | 'openai';
  turns: number;
}

export interface DemoCall {
  agent: string;
  alias: string;
  turn: number;
  /** clock ms */
  startMs: number;
  endMs: number;
  status: number;
  model?: string;
  server?: string;
  outputChars: number;
  /** why the call failed: the error envelope's message, or the body or network error */
  error?: string;
}

export interface DemoWorkloadOptions {
  /** the gateway (its app's fetch in process, or a real fetch) */
  fetch: (request: Request) => Promise<Response>;
  baseUrl: string;
  apiKey?: string;
  clock: Clock;
  agents: readonly DemoAgentSpec[];
  seed: number;
  /** median of the pause between a reply and the next turn, ms of clock time */
  toolDelayMedianMs: number;
  /** median tokens asked for per reply */
  outputTokensMedian: number;
}

const WORDS = ['plan', 'module', 'test', 'refactor', 'schema', 'build', 'deploy', 'review', 'fix', 'api'];

/** text of about `tokens` tokens (4 characters each), seeded */
function filler(rng: Random, tokens: number): string {
  const out: string[] = [];
  let chars = 0;
  while (chars < tokens * 4) {
    const w = WORDS[Math.floor(rng.next() * WORDS.length)]!;
    out.push(w);
    chars += w.length + 1;
  }
  return out.join(' ');
}

export async function runDemoAgents(o: DemoWorkloadOptions): Promise<DemoCall[]> {
  const calls: DemoCall[] = [];
  await Promise.all(o.agents.map((a, i) => runAgent(o, a, seededRandom(o.seed * 1000 + i), calls)));
  return calls.sort((a, b) => a.startMs - b.startMs);
}

async function runAgent(
  o: DemoWorkloadOptions,
  agent: DemoAgentSpec,
  rng: Random,
  calls: DemoCall[],
): Promise<void> {
  const system = `You are ${agent.id}, a coding agent. ${filler(rng, 400)}`;
  const history: Array<{ role: 'user' | 'assistant'; content: string }> = [];
  // agents start staggered, like subagents spawned one after another
  await o.clock.sleep(rng.next() * o.toolDelayMedianMs);
  for (let turn = 1; turn <= agent.turns; turn++) {
    history.push({
      role: 'user',
      content: `Tool result for turn ${turn}: ${filler(rng, Math.round(logNormal(rng, 120, 0.5)))}`,
    });
    const maxTokens = Math.min(800, Math.max(16, Math.round(logNormal(rng, o.outputTokensMedian, 0.4))));
    const startMs = o.clock.now();
    const call = await send(o, agent, system, history, maxTokens);
    calls.push({ ...call, agent: agent.id, alias: agent.alias, turn, startMs, endMs: o.clock.now() });
    if (call.status >= 400) return;
    history.push({ role: 'assistant', content: call.text || '(no text)' });
    await o.clock.sleep(logNormal(rng, o.toolDelayMedianMs, 0.5));
  }
}

interface SendResult {
  status: number;
  text: string;
  outputChars: number;
  model?: string;
  server?: string;
  error?: string;
}

async function send(
  o: DemoWorkloadOptions,
  agent: DemoAgentSpec,
  system: string,
  history: ReadonlyArray<{ role: 'user' | 'assistant'; content: string }>,
  maxTokens: number,
): Promise<SendResult> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-orchestra-agent': agent.id,
  };
  if (o.apiKey) headers.authorization = `Bearer ${o.apiKey}`;
  const anthropic = agent.api === 'anthropic';
  const body = anthropic
    ? {
        model: agent.alias,
        max_tokens: maxTokens,
        stream: true,
        system,
        messages: history,
        metadata: { user_id: agent.id },
      }
    : {
        model: agent.alias,
        max_tokens: maxTokens,
        messages: [{ role: 'system', content: system }, ...history],
      };
  const path = anthropic ? '/v1/messages' : '/v1/chat/completions';
  let res: Response;
  try {
    res = await o.fetch(
      new Request(o.baseUrl + path, { method: 'POST', headers, body: JSON.stringify(body) }),
    );
  } catch (e) {
    return { status: 599, text: '', outputChars: 0, error: (e as Error).message };
  }
  const meta = {
    model: res.headers.get('x-orchestra-model') ?? undefined,
    server: res.headers.get('x-orchestra-server') ?? undefined,
  };
  const raw = await res.text();
  if (res.status >= 400)
    return { status: res.status, text: '', outputChars: 0, error: errorMessageOf(raw), ...clean(meta) };
  const text = anthropic ? anthropicText(raw) : openAIText(raw);
  if (text.error !== undefined)
    return { status: 502, text: '', outputChars: 0, error: text.error, ...clean(meta) };
  return { status: res.status, text: text.text, outputChars: text.text.length, ...clean(meta) };
}

function clean(meta: { model: string | undefined; server: string | undefined }): {
  model?: string;
  server?: string;
} {
  return { ...(meta.model ? { model: meta.model } : {}), ...(meta.server ? { server: meta.server } : {}) };
}

function anthropicText(raw: string): { text: string; error?: string } {
  let text = '';
  for (const m of parseSSE(raw)) {
    if (m.event === 'error') return { text, error: errorMessageOf(m.data) };
    if (m.event !== 'content_block_delta') continue;
    const d = JSON.parse(m.data) as { delta?: { type?: string; text?: string } };
    if (d.delta?.type === 'text_delta') text += d.delta.text ?? '';
  }
  return { text };
}

function openAIText(raw: string): { text: string; error?: string } {
  const body = JSON.parse(raw) as { choices?: Array<{ message?: { content?: string | null } }> };
  return { text: body.choices?.[0]?.message?.content ?? '' };
}

/** the message of an OpenAI or Anthropic error envelope, else the body itself (cut short) */
function errorMessageOf(body: string): string {
  try {
    const doc = JSON.parse(body) as { error?: { message?: unknown } };
    if (typeof doc.error?.message === 'string') return doc.error.message;
  } catch {
    // not JSON: a proxy's page or a cut body
  }
  return body.slice(0, 300);
}
