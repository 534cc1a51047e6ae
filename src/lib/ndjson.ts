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

/**
 * The values of an NDJSON byte stream, pushed chunk by chunk: synchronous, so a consumer turns one
 * network read into all the values it completes without an await per value. Blank lines and CRLF
 * endings are accepted; end() parses a last line without a newline.
 */
export class NdjsonDecoder {
  readonly #utf8 = new TextDecoder('utf-8');
  #buffer = '';
  #lineNo = 0;

  /** the values completed by `bytes` (often none or one); NdjsonError for a line that is not JSON */
  push(bytes: Uint8Array): unknown[] {
    return this.#lines(this.#buffer + this.#utf8.decode(bytes, { stream: true }));
  }

  /** the values left at the end of the stream: a last line without a newline */
  end(): unknown[] {
    const values = this.#lines(this.#buffer + this.#utf8.decode());
    if (this.#buffer.length === 0) return values;
    const parsed = parseLine(this.#buffer, 0, this.#buffer.length, this.#lineNo + 1);
    this.#buffer = '';
    if (parsed !== BLANK) values.push(parsed);
    return values;
  }

  #lines(text: string): unknown[] {
    const values: unknown[] = [];
    // lines are cut out of the text by index; the rest is kept once per push, not per line
    let start = 0;
    let nl = text.indexOf('\n');
    while (nl >= 0) {
      const parsed = parseLine(text, start, nl, ++this.#lineNo);
      if (parsed !== BLANK) values.push(parsed);
      start = nl + 1;
      nl = text.indexOf('\n', start);
    }
    this.#buffer = start > 0 ? text.slice(start) : text;
    return values;
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
