// A ChatEvent stream folded into one ChatResult, for clients that asked for no streaming.
import type { ChatEvent, ChatResult } from '../core/chat.ts';
import { AppError } from '../core/errors/index.ts';

export async function foldEvents(events: AsyncIterable<ChatEvent>, model: string): Promise<ChatResult> {
  const result: ChatResult = {
    model,
    text: '',
    toolCalls: [],
    finishReason: 'stop',
    usage: { inputTokens: 0, outputTokens: 0 },
  };
  let thinking = '';
  let done = false;
  for await (const e of events) {
    if (e.type === 'start' && e.server) result.server = e.server;
    else if (e.type === 'text') result.text += e.delta;
    else if (e.type === 'thinking') thinking += e.delta;
    else if (e.type === 'tool_call') result.toolCalls.push(e.call);
    else if (e.type === 'done') {
      done = true;
      result.finishReason = e.finishReason;
      result.usage = e.usage;
      if (e.timings) result.timings = e.timings;
    }
  }
  if (!done) throw new AppError('upstream_error', 'the backend ended the response without a final event');
  if (thinking !== '') result.thinking = thinking;
  return result;
}
