// Server-sent events (text/event-stream), as the WHATWG HTML spec defines them: formatting frames
// for our streams and an incremental parser for tests and cloud responses. Frames are separated by
// a blank line; lines starting with ':' are comments (keep-alives that clients ignore).

/** One event. Same shape as Hono's SSEMessage, so frames can go to either writer. */
export interface SSEMessage {
  event?: string;
  data: string;
  id?: string;
  /** reconnection time in ms */
  retry?: number;
}

export function formatSSE(msg: SSEMessage): string {
  let out = '';
  if (msg.event !== undefined) out += `event: ${oneLine(msg.event)}\n`;
  if (msg.id !== undefined) out += `id: ${oneLine(msg.id)}\n`;
  if (msg.retry !== undefined) out += `retry: ${Math.max(0, Math.floor(msg.retry))}\n`;
  // JSON data never holds a raw line break: one data line, without splitting
  if (!LINE_BREAK.test(msg.data)) return `${out}data: ${msg.data}\n\n`;
  // a data line cannot hold a newline: each line of the payload is its own data: field
  for (const line of msg.data.split(/\r\n|\r|\n/)) out += `data: ${line}\n`;
  return `${out}\n`;
}

const LINE_BREAK = /[\r\n]/;

/** A comment frame: keeps proxies and clients from timing out; parsers skip it. */
export function sseComment(text = ''): string {
  return (
    text
      .split(/\r\n|\r|\n/)
      .map((line) => `: ${line}\n`)
      .join('') + '\n'
  );
}

/** A JSON event, the framing both OpenAI and Anthropic use. */
export function sseJson(value: unknown, event?: string): SSEMessage {
  const msg: SSEMessage = { data: JSON.stringify(value) };
  if (event !== undefined) msg.event = event;
  return msg;
}

function oneLine(s: string): string {
  return s.replace(/[\r\n]/g, ' ');
}

export interface SSEParser {
  /** feed any slice of the stream; returns the events completed by it */
  push(chunk: string): SSEMessage[];
  /** the stream ended: an unterminated last event is dispatched (as browsers do not, but servers
   * that forget the final blank line are common) */
  end(): SSEMessage[];
}

export function createSSEParser(): SSEParser {
  let buffer = '';
  let pending: Partial<SSEMessage> & { dataLines?: string[] } = {};

  const dispatch = (out: SSEMessage[]): void => {
    if (pending.dataLines !== undefined) {
      const msg: SSEMessage = { data: pending.dataLines.join('\n') };
      if (pending.event !== undefined) msg.event = pending.event;
      if (pending.id !== undefined) msg.id = pending.id;
      if (pending.retry !== undefined) msg.retry = pending.retry;
      out.push(msg);
    }
    pending = {};
  };

  const line = (text: string, out: SSEMessage[]): void => {
    if (text === '') return dispatch(out);
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') (pending.dataLines ??= []).push(value);
    else if (field === 'event') pending.event = value;
    else if (field === 'id') pending.id = value;
    else if (field === 'retry' && /^\d+$/.test(value)) pending.retry = Number(value);
  };

  return {
    push(chunk) {
      buffer += chunk;
      const out: SSEMessage[] = [];
      for (;;) {
        const m = /\r\n|\r|\n/.exec(buffer);
        // a lone \r at the end may be the first half of \r\n: wait for the next chunk
        if (!m || (m[0] === '\r' && m.index === buffer.length - 1)) break;
        line(buffer.slice(0, m.index), out);
        buffer = buffer.slice(m.index + m[0].length);
      }
      return out;
    },
    end() {
      const out: SSEMessage[] = [];
      if (buffer !== '') line(buffer.replace(/\r$/, ''), out);
      buffer = '';
      dispatch(out);
      return out;
    },
  };
}

export function parseSSE(text: string): SSEMessage[] {
  const parser = createSSEParser();
  return [...parser.push(text), ...parser.end()];
}
