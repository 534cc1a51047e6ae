// Where a streamed answer's bytes go. Under @hono/node-server they go straight to the client's
// node:http response: a web ReadableStream there costs a TextEncoder call, a queued chunk and
// @hono/node-server's read loop per write, and that loop holds back a response whose first chunk
// is ready at once for a timer (setTimeout) while it looks for a second one, about 1 ms more to the
// first token. Called through app.fetch (tests, the in-process demo), the bytes go into a web
// stream as before. Same bytes either way (src/gateway/response-sink.test.ts).

/** the part of node:http's ServerResponse a streamed answer uses */
export interface NodeResponse {
  writeHead(status: number, headers: Record<string, string>): unknown;
  /** sends the headers now (otherwise they go out with the first write) */
  flushHeaders(): void;
  write(text: string): boolean;
  end(text?: string): unknown;
  readonly destroyed: boolean;
}

export interface ResponseSink {
  /** writes `text` now ('' writes nothing); once the client is gone, nothing */
  write(text: string): void;
  /** writes `text` and ends the response (when the client is still there) */
  end(text: string): void;
}

/**
 * Writes the headers (they go out with the first write, in one packet; `flush` sends them now, for
 * a stream whose first bytes may be long in coming) and returns the sink of the body. `onGone`:
 * the client went away before the end.
 */
export function nodeResponseSink(
  res: NodeResponse,
  headers: Record<string, string>,
  flush: boolean,
  onGone: () => void,
): ResponseSink {
  res.writeHead(200, headers);
  if (flush) res.flushHeaders();
  return {
    write(text) {
      if (text === '') return;
      if (res.destroyed) onGone();
      else res.write(text);
    },
    end(text) {
      if (!res.destroyed) res.end(text);
    },
  };
}

/** a sink whose bytes are read from `stream` (cancelling the stream is the client going away) */
export function webStreamSink(onGone: () => void): {
  sink: ResponseSink;
  stream: ReadableStream<Uint8Array>;
} {
  const utf8 = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const stream = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    cancel: onGone,
  });
  const write = (text: string): void => {
    if (text === '') return;
    try {
      controller.enqueue(utf8.encode(text));
    } catch {
      onGone();
    }
  };
  return {
    sink: {
      write,
      end(text) {
        write(text);
        try {
          controller.close();
        } catch {
          // the client already went away
        }
      },
    },
    stream,
  };
}
