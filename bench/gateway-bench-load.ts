// The load generator's requests for the gateway benchmark: streamed chats straight to the emulator
// (Ollama's /api/chat) or through the gateway (/v1/chat/completions), each stamped on the clock the
// emulator stamps with (delivery-stamps.ts), and closed-loop rounds of STREAMS concurrent streams.
import { STREAMS } from './gateway-bench-processes.ts';
import { benchIdText, CONTENT, stampNow } from './delivery-stamps.ts';

/** sends one request; `id`, when given, goes into the prompt so the emulator can stamp it */
export type Send = (id?: string) => Promise<Response>;

/** a fixed length, or a deterministic sequence of lengths (each path gets its own copy) */
export type Tokens = number | (() => () => number);

function lengths(tokens: Tokens): () => number {
  return typeof tokens === 'number' ? () => tokens : tokens();
}

/**
 * Reply lengths spread evenly over [mean/2, 3*mean/2] in a fixed order. Agents' replies differ in
 * length; with one length for all, a closed loop of 100 streams stays in lockstep and every new
 * request arrives in a burst of 100, which no real fleet of agents produces.
 */
export function spreadLengths(mean: number): () => () => number {
  return () => {
    let k = 0;
    return () => Math.round(mean / 2 + ((k++ * 37) % 101) * (mean / 100));
  };
}

const messagesFor = (id: string | undefined) => [
  {
    role: 'user',
    content:
      id === undefined
        ? 'Write a haiku about schedulers.'
        : `Write a haiku about schedulers. ${benchIdText(id)}`,
  },
];

export function ollamaChat(url: string, model: string, tokens: Tokens): Send {
  const next = lengths(tokens);
  return (id) =>
    fetch(url, {
      method: 'POST',
      body: JSON.stringify({
        model,
        messages: messagesFor(id),
        stream: true,
        options: { num_ctx: 1024, num_predict: next() },
        keep_alive: -1,
      }),
    });
}

export function openAIChat(url: string, alias: string, tokens: Tokens): Send {
  const next = lengths(tokens);
  const headers = { 'content-type': 'application/json' };
  return (id) =>
    fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model: alias, messages: messagesFor(id), stream: true, max_tokens: next() }),
    });
}

/** the Anthropic face (/v1/messages), streamed: the gateway's, or claude-code-router's */
export function anthropicChat(url: string, model: string, tokens: Tokens): Send {
  const next = lengths(tokens);
  const headers = {
    'content-type': 'application/json',
    'anthropic-version': '2023-06-01',
    'x-api-key': 'bench',
  };
  return (id) =>
    fetch(`${url}/v1/messages`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ model, messages: messagesFor(id), stream: true, max_tokens: next() }),
    });
}

/** one streamed request on the shared clock (delivery-stamps.ts), ms */
export interface Timed {
  id: string;
  sent: number;
  /** the first byte of the first content token arrived */
  first: number;
  /** the end of the stream arrived */
  last: number;
}

let nextId = 0;

export async function timed(send: Send): Promise<Timed> {
  const id = `r${nextId++}`;
  const sent = stampNow();
  const res = await send(id);
  if (!res.ok || res.body === null) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
  const utf8 = new TextDecoder();
  let first = NaN;
  let tail = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (!Number.isNaN(first)) continue;
    const text = tail + utf8.decode(value, { stream: true });
    if (CONTENT.test(text)) first = stampNow();
    else tail = text.slice(-16);
  }
  if (Number.isNaN(first)) throw new Error('a stream without content');
  return { id, sent, first, last: stampNow() };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface RoundTiming {
  /** ms of ramp-up before recording (staggered starts) */
  rampMs: number;
  /** ms in which started requests are recorded */
  windowMs: number;
  /** ms of load kept after the window, so recorded requests run with STREAMS in flight to the end */
  padMs: number;
  /** ms one stream lasts (spreads the starts) */
  streamMs: number;
}

/** one round: STREAMS closed-loop streams (staggered), recording requests started in the window;
 * resolves with the number of requests completed */
export async function round(send: Send, into: Timed[], t: RoundTiming): Promise<number> {
  let completed = 0;
  const t0 = performance.now();
  const from = t0 + t.rampMs;
  const to = from + t.windowMs;
  await Promise.all(
    Array.from({ length: STREAMS }, async (_, i) => {
      await sleep((i * t.streamMs) / STREAMS);
      while (performance.now() < to + t.padMs) {
        const started = performance.now();
        const r = await timed(send);
        completed++;
        if (started >= from && started < to) into.push(r);
      }
    }),
  );
  return completed;
}
