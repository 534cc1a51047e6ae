// Newline-delimited JSON (Ollama's streaming format): one JSON value per line. Parsing is robust
// to chunk boundaries anywhere, including inside a multi-byte UTF-8 character.

/** A line of an NDJSON stream that is not valid JSON. `line` is 1-based. */
export class NdjsonError extends Error {
  readonly line: number;
  readonly text: string;

  constructor(line: number, text: string, cause: unknown) {
    const excerpt = text.length > 120 ? `${text.slice(0, 120)}...` : text;
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`invalid NDJSON at line ${line}: ${reason}; line was: ${excerpt}`, { cause });
    this.name = 'NdjsonError';
    this.line = line;
    this.text = text;
  }
}

// a fixed reason: cancelling fetch's body without one builds an AbortError (a DOMException, with a
// stack) every time, 1.6% of the gateway's CPU at saturation, where every stream stops at its final
// chunk before the body's end
const STOPPED = new Error('stopped reading the NDJSON stream');

/**
 * Yields each JSON value of an NDJSON byte stream. Blank lines and CRLF endings are accepted; a
 * last line without a newline is parsed too. Stopping early (break, return, throw) cancels the
 * stream so the underlying connection is released.
 */
export async function* parseNdjson(stream: ReadableStream<Uint8Array>): AsyncGenerator<unknown> {
  const reader = stream.getReader();
  const decoder = new TextDecoder('utf-8');
  let buffer = '';
  let lineNo = 0;
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      // lines are cut out of the buffer by index; the rest is kept once per read, not per line
      let start = 0;
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        lineNo++;
        const parsed = parseLine(buffer, start, nl, lineNo);
        if (parsed !== BLANK) yield parsed;
        start = nl + 1;
        nl = buffer.indexOf('\n', start);
      }
      if (start > 0) buffer = buffer.slice(start);
      if (done) break;
    }
    finished = true;
    if (buffer.length > 0) {
      const parsed = parseLine(buffer, 0, buffer.length, lineNo + 1);
      if (parsed !== BLANK) yield parsed;
    }
  } finally {
    if (!finished) await reader.cancel(STOPPED).catch(() => undefined);
    reader.releaseLock();
  }
}

/** what parseLine answers for a blank line */
const BLANK: unique symbol = Symbol('blank line');
const WHITESPACE = /^\s*$/;

/** the JSON value of text[start, end) (a CR before the end dropped), or BLANK */
function parseLine(text: string, start: number, end: number, lineNo: number): unknown {
  const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
  if (WHITESPACE.test(line)) return BLANK;
  try {
    return JSON.parse(line) as unknown;
  } catch (e) {
    throw new NdjsonError(lineNo, line, e);
  }
}

/** One NDJSON line for `value`. */
export function ndjsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/** Encodes values as an NDJSON byte stream; cancelling the stream stops the source. */
export function encodeNdjson(source: AsyncIterable<unknown>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const it = source[Symbol.asyncIterator]();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await it.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(ndjsonLine(next.value)));
    },
    async cancel() {
      await it.return?.();
    },
  });
}
