// A response body read as callbacks, one per chunk off the socket, beside its web ReadableStream.
// Read through the web stream, every chunk of a streamed answer costs an enqueue, a read promise
// and a microtask before the NDJSON decoder sees it, on every token's way through the gateway.
// A fetch that can do better (the gateway's http-fetch.ts) offers the body this way too; callers
// fall back to response.body for any other fetch.

/** where the chunks of a PushBody go; after `end` or `error` nothing more is called */
export interface BodyListener {
  data(chunk: Uint8Array): void;
  end(): void;
  error(e: unknown): void;
}

export interface PushBody {
  /** attaches the listener, paused: nothing is delivered before resume(). At most once. */
  listen(listener: BodyListener): void;
  /** delivers chunks as they come (and any buffered ones) */
  resume(): void;
  /** stops delivering; the socket is no longer read once its buffer is full */
  pause(): void;
  /** stops reading for good and closes the connection; the listener hears nothing more */
  cancel(): void;
  /**
   * the listener hears nothing more, but the rest of the body (the end of an answer whose last
   * chunk came) is read and dropped, so its connection can be reused
   */
  release(): void;
}

/** the key of the method with which a Response offers its body as a PushBody */
export const TAKE_PUSH_BODY: unique symbol = Symbol.for('orchestra.takePushBody');

interface OffersPushBody {
  [TAKE_PUSH_BODY]?: () => PushBody | undefined;
}

/**
 * The body of `res` as a PushBody, if its fetch offers one and the web body was not read yet;
 * response.body must not be read after that. Undefined for any other Response.
 */
export function takePushBody(res: Response): PushBody | undefined {
  const take = (res as OffersPushBody)[TAKE_PUSH_BODY];
  return typeof take === 'function' ? take.call(res) : undefined;
}

export function isPushBody(body: ReadableStream<Uint8Array> | PushBody): body is PushBody {
  return typeof (body as Partial<PushBody>).listen === 'function';
}
