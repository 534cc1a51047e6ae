// The items of a streamed Ollama call (NDJSON chunks, each validated and mapped), read from the
// response body one read at a time. Pulled with next(), or pushed (lib/pushable.ts): pushed, one
// read of the body runs through the decoder, the map and the subscriber's handler in one call.
// The body is a web stream, or a PushBody (lib/push-body.ts) whose chunks come as callbacks: then
// a chunk off the socket reaches the subscriber with no promise at all. Every failure is an
// AppError, delivered after the items that came before it.
import { AppError } from '../core/errors/index.ts';
import { NdjsonDecoder } from '../lib/ndjson.ts';
import { isPushBody, type BodyListener, type PushBody } from '../lib/push-body.ts';
import { ITERATION_END, type PushableIterator, type PushHandlers } from '../lib/pushable.ts';

export interface ChunkStreamSource<T> {
  /** sends the request: the NDJSON body of the answer (AppError when it fails) */
  open(): Promise<ReadableStream<Uint8Array> | PushBody>;
  /** adds the items of one NDJSON value to `into`; true when it was the final chunk */
  decode(value: unknown, into: T[]): boolean;
  /** the AppError for anything that went wrong while reading */
  failure(e: unknown): AppError;
  /** the AppError for a body that ended before the final chunk */
  closedEarly(): AppError;
}

// a fixed reason: cancelling fetch's body without one builds an AbortError (a DOMException, with a
// stack) every time, 1.6% of the gateway's CPU at saturation, where every stream stops at its final
// chunk before the body's end
const STOPPED = new Error('stopped reading the NDJSON stream');

type ReadResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>;

export class OllamaChunkStream<T> implements PushableIterator<T> {
  readonly #source: ChunkStreamSource<T>;
  readonly #ndjson = new NdjsonDecoder();
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #push: PushBody | undefined;
  /** pulled from a PushBody: settles the read waiting for its next chunk */
  #wake: (() => void) | undefined;
  /** items read and not handed out yet, from #head on */
  readonly #queue: T[] = [];
  #head = 0;
  /** nothing more is read: the final chunk came, the stream failed, or it was stopped */
  #finished = false;
  #bodyEnded = false;
  /** return() was called: nothing more is handed out */
  #stopped = false;
  /** the failure to report once the queue is drained */
  #error: AppError | undefined;
  #handlers: PushHandlers<T> | undefined;

  constructor(source: ChunkStreamSource<T>) {
    this.#source = source;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<T>> {
    const ready = this.#ready();
    if (ready instanceof AppError) return Promise.reject(ready);
    return ready === undefined ? this.#read().then(() => this.#afterRead()) : Promise.resolve(ready);
  }

  return(): Promise<IteratorResult<T>> {
    this.#stopped = true;
    this.#queue.length = 0;
    this.#head = 0;
    this.#finish();
    return Promise.resolve(ITERATION_END);
  }

  subscribe(handlers: PushHandlers<T>): void {
    this.#handlers = handlers;
    this.#pump();
  }

  /** what next() can answer without reading (the failure, once), or undefined */
  #ready(): IteratorResult<T> | AppError | undefined {
    if (this.#head < this.#queue.length) return { done: false, value: this.#queue[this.#head++]! };
    const error = this.#error;
    if (error !== undefined) {
      this.#error = undefined;
      return error;
    }
    return this.#finished ? ITERATION_END : undefined;
  }

  #afterRead(): IteratorResult<T> | Promise<IteratorResult<T>> {
    const ready = this.#ready();
    if (ready instanceof AppError) throw ready;
    return ready ?? this.next();
  }

  /** hands out what is queued, then reads on (a property, not a method: no closure per read) */
  readonly #pump = (): void => {
    const h = this.#handlers!;
    try {
      while (this.#head < this.#queue.length && !this.#stopped) h.item(this.#queue[this.#head++]!);
    } catch (e) {
      void this.return();
      h.end(e);
      return;
    }
    if (this.#stopped) return;
    if (this.#error !== undefined) h.end(this.#error);
    else if (this.#finished) h.end();
    else if (this.#push !== undefined)
      this.#push.resume(); // its chunks call #pump from now on
    else void this.#read().then(this.#pump);
  };

  /** one read of the body into the queue; never rejects (a failure is kept in #error) */
  #read(): Promise<void> {
    const push = this.#push;
    if (push !== undefined)
      return new Promise((resolve) => {
        this.#wake = resolve;
        push.resume();
      });
    const reader = this.#reader;
    if (reader === undefined) return this.#open();
    return reader.read().then(this.#take, this.#fail);
  }

  #open(): Promise<void> {
    return this.#source.open().then((body) => {
      if (isPushBody(body)) {
        if (this.#finished) return body.cancel();
        this.#push = body;
        body.listen(this.#listener);
      } else if (this.#finished) void body.cancel(STOPPED).catch(() => {});
      else this.#reader = body.getReader();
    }, this.#fail);
  }

  /** a PushBody's chunk, end or failure: to the subscriber, else to the pending read */
  readonly #listener: BodyListener = {
    data: (value) => this.#pushed({ done: false, value }),
    end: () => this.#pushed({ done: true, value: undefined }),
    error: (e) => {
      this.#bodyEnded = true; // nothing left to cancel
      this.#fail(e);
      this.#delivered();
    },
  };

  #pushed(r: ReadResult): void {
    this.#take(r);
    this.#delivered();
  }

  #delivered(): void {
    if (this.#handlers !== undefined) {
      if (!this.#stopped) this.#pump();
      return;
    }
    // pulled: one chunk per read (a finished body is left to its end)
    if (!this.#finished) this.#push?.pause();
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  readonly #take = (r: ReadResult): void => {
    if (this.#finished) return;
    if (this.#head >= this.#queue.length) {
      this.#queue.length = 0;
      this.#head = 0;
    }
    try {
      const values = r.done ? this.#ndjson.end() : this.#ndjson.push(r.value);
      if (r.done) this.#bodyEnded = true;
      for (const value of values)
        if (this.#source.decode(value, this.#queue)) {
          // what follows the final chunk is not read
          this.#finish(true);
          return;
        }
      if (r.done) this.#fail(this.#source.closedEarly());
    } catch (e) {
      this.#fail(e);
    }
  };

  readonly #fail = (e: unknown): void => {
    if (this.#finished) return;
    this.#error = e instanceof AppError ? e : this.#source.failure(e);
    this.#finish();
  };

  /** `complete`: the final chunk came, so the rest of the body is only its end */
  #finish(complete = false): void {
    if (this.#finished) return;
    this.#finished = true;
    // a pending pull settles (its next() answers from what is left), as a cancelled web read does
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
    if (this.#bodyEnded) return;
    // a push body is read to its end, which keeps its connection; a web body is read ahead of
    // the reader (so its end is usually in), and cancelled
    if (complete) this.#push?.release();
    else this.#push?.cancel();
    void this.#reader?.cancel(STOPPED).catch(() => {});
  }
}
