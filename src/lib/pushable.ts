// A stream read on every token's way through the gateway can hand its items to callbacks as they
// come instead of one next() each. A next() per item costs a promise, an iterator result and a
// microtask in every layer it crosses (the backend's stream, the committed answer, the writer);
// pushed, an upstream read runs to the client's socket write in one synchronous call.

/** where a pushed stream's items go */
export interface PushHandlers<T> {
  item(value: T): void;
  /** called once, at the end of the stream: `error` when it failed (then no more items come) */
  end(error?: unknown): void;
}

/**
 * An async iterator that can also push its later items. next() may be called first (a caller that
 * needs a few items before deciding, like the gateway's fallback before the first content); after
 * subscribe() it must not be. return() stops the stream in either mode, without calling `end`.
 */
export interface PushableIterator<T> extends AsyncIterableIterator<T> {
  subscribe(handlers: PushHandlers<T>): void;
  return(): Promise<IteratorResult<T>>;
}

export function isPushable<T>(it: AsyncIterator<T> | AsyncIterable<T>): it is PushableIterator<T> {
  return typeof (it as Partial<PushableIterator<T>>).subscribe === 'function';
}

/** the result of a finished iterator (shared: it is never written to) */
export const ITERATION_END: IteratorReturnResult<undefined> = Object.freeze({
  done: true,
  value: undefined,
});

/** subscribe() over next(), for a stream that cannot push: each item after the last one's next() */
export function pullInto<T>(next: () => Promise<IteratorResult<T>>, h: PushHandlers<T>): void {
  const step = (r: IteratorResult<T>): void => {
    if (r.done) h.end();
    else {
      h.item(r.value);
      next().then(step, (e: unknown) => h.end(e));
    }
  };
  next().then(step, (e: unknown) => h.end(e));
}
