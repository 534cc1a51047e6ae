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
      let nl = buffer.indexOf('\n');
      while (nl >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        lineNo++;
        const parsed = parseLine(line, lineNo);
        if (parsed.some) yield parsed.value;
        nl = buffer.indexOf('\n');
      }
      if (done) break;
    }
    finished = true;
    if (buffer.length > 0) {
      const parsed = parseLine(buffer, lineNo + 1);
      if (parsed.some) yield parsed.value;
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function parseLine(raw: string, lineNo: number): { some: true; value: unknown } | { some: false } {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (line.trim() === '') return { some: false };
  try {
    return { some: true, value: JSON.parse(line) as unknown };
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
