// One conversation thread per model and run: the system prompt, the messages, and the trimming
// that keeps it inside the model's real context window. Trimming drops the oldest unpinned turns
// first; the system prompt, pinned messages and the latest turn always survive. A turn is a user
// or assistant message together with the tool results that answer its calls, so a trimmed thread
// never holds a tool result without its call (servers reject that).
import { AppError } from '../core/errors/index.ts';
import { parseThreadJSON, type ThreadJSON } from './thread-json.ts';
import { rawMessageTokens, TokenEstimator, type TokenEstimatorState } from './token-estimate.ts';

export type { ThreadJSON };

export interface ThreadToolCall {
  id: string;
  name: string;
  input: unknown;
}

export interface ThreadMessage {
  role: 'user' | 'assistant' | 'tool';
  content: string;
  /** survives trimming (the task, the acceptance, a user's answer) */
  pinned?: boolean;
  /** who wrote it when not the thread's own model or the engine: another model in a dialogue */
  from?: string;
  toolCalls?: ThreadToolCall[];
  /** for role 'tool': the call it answers */
  toolCallId?: string;
  toolName?: string;
}

/** share of the context window kept free for the reply */
const REPLY_RESERVE = 0.2;
/** a prompt count at this share of the window may be the server's truncation, not the prompt */
const TRUNCATED_SHARE = 0.95;

/** what a request sends besides the thread's messages */
export interface RequestFrame {
  /** the request's system prompt when it is not the thread's own */
  system?: string;
  /** the offered tools' definitions as text (toolsText), counted in the prompt by the server */
  tools?: string;
}

export class Thread {
  readonly name: string;
  readonly alias: string;
  readonly contextWindow: number;
  system: string;
  readonly messages: ThreadMessage[] = [];
  readonly estimator: TokenEstimator;

  constructor(o: {
    name: string;
    alias: string;
    contextWindow: number;
    system?: string;
    estimator?: TokenEstimatorState;
  }) {
    if (!(Number.isInteger(o.contextWindow) && o.contextWindow > 0))
      throw new AppError(
        'bad_request',
        `thread ${o.name}: contextWindow must be a positive integer, found ${o.contextWindow}`,
      );
    this.name = o.name;
    this.alias = o.alias;
    this.contextWindow = o.contextWindow;
    this.system = o.system ?? '';
    this.estimator = new TokenEstimator(o.estimator);
  }

  add(message: ThreadMessage): void {
    this.messages.push(message);
  }

  /** tokens the prompt may take: the window less the reply's reserve */
  get budget(): number {
    return Math.floor(this.contextWindow * (1 - REPLY_RESERVE));
  }

  tokens(messages: readonly ThreadMessage[] = this.messages): number {
    const body = messages.reduce((sum, m) => sum + this.estimator.message(messageText(m)), 0);
    return this.estimator.message(this.system) + body;
  }

  /**
   * The messages to send: every turn that fits, oldest unpinned turns dropped first. The budget
   * is shared with what the request sends besides the messages: the system prompt (the thread's
   * own unless the request has another) and the tools' definitions (`frame.tools`, their text).
   */
  window(frame: RequestFrame = {}, budget = this.budget): ThreadMessage[] {
    const turns = groupTurns(this.messages);
    const keep = turns.map((t, i) => i === turns.length - 1 || t.some((m) => m.pinned === true));
    let used = this.estimator.message(frame.system ?? this.system) + this.estimator.text(frame.tools ?? '');
    for (let i = 0; i < turns.length; i++) if (keep[i]) used += this.turnTokens(turns[i]!);
    // newest first: the latest context matters most
    for (let i = turns.length - 2; i >= 0; i--) {
      if (keep[i]) continue;
      const cost = this.turnTokens(turns[i]!);
      if (used + cost > budget) continue;
      keep[i] = true;
      used += cost;
    }
    return turns.filter((_, i) => keep[i]).flat();
  }

  /**
   * Calibrates the estimate with the prompt tokens the server counted for a request that sent
   * `sent` with `frame` (its system prompt and tools' definitions count too). A count near the
   * context window may be the server's own truncation and teaches nothing.
   */
  observe(sent: readonly ThreadMessage[], promptTokens: number, frame: RequestFrame = {}): void {
    const raw =
      rawMessageTokens([frame.system ?? this.system, ...sent.map(messageText)]) +
      TokenEstimator.raw(frame.tools ?? '');
    if (promptTokens >= this.contextWindow * TRUNCATED_SHARE) return;
    this.estimator.calibrate(raw, promptTokens);
  }

  toJSON(): ThreadJSON {
    return {
      version: 1,
      name: this.name,
      alias: this.alias,
      contextWindow: this.contextWindow,
      system: this.system,
      messages: this.messages.map((m) => ({ ...m })),
      estimator: this.estimator.toJSON(),
    };
  }

  /** a thread from its JSON (toJSON), checked field by field */
  static fromJSON(value: unknown): Thread {
    const json = parseThreadJSON(value);
    const t = new Thread({ ...json });
    for (const m of json.messages) t.add({ ...m });
    return t;
  }

  private turnTokens(turn: readonly ThreadMessage[]): number {
    return turn.reduce((sum, m) => sum + this.estimator.message(messageText(m)), 0);
  }
}

export function messageText(m: ThreadMessage): string {
  const calls = m.toolCalls?.map((c) => `${c.name}(${JSON.stringify(c.input)})`).join('\n') ?? '';
  return calls ? `${m.content}\n${calls}` : m.content;
}

/** Splits messages into turns: each message with the tool results that follow it. */
export function groupTurns(messages: readonly ThreadMessage[]): ThreadMessage[][] {
  const turns: ThreadMessage[][] = [];
  for (const m of messages) {
    const last = turns.at(-1);
    if (m.role === 'tool' && last) last.push(m);
    else turns.push([m]);
  }
  return turns;
}
