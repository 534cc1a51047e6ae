// What the chat path reads of the client's node:http request under @hono/node-server. Its Request
// builds a web Headers object on first use (a few µs of validation per request) and reads the body
// through the stream machinery, one tick after another. The incoming message already holds both:
// its headers as a plain object, and a small body, which arrives with the headers, is buffered by
// the time the handler first awaits. Through app.fetch (tests, the in-process
// demo) the web Request is read as before.

/** the part of node:http's IncomingMessage the chat path reads */
export interface NodeRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly readableDidRead: boolean;
  readonly readableFlowing: boolean | null;
  /** bytes buffered, not yet read */
  readonly readableLength: number;
  read(): unknown;
  resume(): unknown;
}

/** the request's header `name` (lower case), several values joined as fetch joins them */
export function headerReader(
  raw: Request,
  incoming: NodeRequest | undefined,
): (name: string) => string | undefined {
  if (!incoming) return (name) => raw.headers.get(name) ?? undefined;
  return (name) => {
    const v = incoming.headers[name];
    return typeof v === 'string' ? v : v?.join(', ');
  };
}

/**
 * The body when all `declaredBytes` of it (its Content-Length) are buffered and nobody has read
 * from it yet: taken from the stream's buffer in one synchronous read. undefined when it must be
 * read the usual way (still arriving, or already read from).
 */
export function bufferedBody(incoming: NodeRequest | undefined, declaredBytes: number): Buffer | undefined {
  if (!incoming || incoming.readableDidRead || incoming.readableFlowing === true) return undefined;
  if (incoming.readableLength !== declaredBytes || declaredBytes === 0) return undefined;
  const chunk = incoming.read();
  if (chunk === null) return undefined;
  // nothing more belongs to this body: flowing, the stream ends as soon as the parser marks the
  // message complete (paused, it would wait for a read that never comes)
  incoming.resume();
  // a Buffer unless someone set an encoding on the stream, when it is a string
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
}

/** the node:http request in @hono/node-server's env (env.incoming), if the app runs under it */
export function nodeRequestOf(env: unknown): NodeRequest | undefined {
  const incoming = (env as { incoming?: Partial<NodeRequest> | null } | undefined)?.incoming;
  return typeof incoming?.read === 'function' && typeof incoming.headers === 'object'
    ? (incoming as NodeRequest)
    : undefined;
}
