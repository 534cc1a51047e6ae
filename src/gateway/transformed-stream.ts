// A committed event stream with a transform in its way (the tool-call repair's hold-back): pushed
// when the source pushes, so a token still goes from the backend's read to the client's socket in
// one synchronous call; only the final event may wait for an async step (rungs 5-6).
import type { ChatEvent } from '../core/chat.ts';
import {
  ITERATION_END,
  isPushable,
  pullInto,
  type PushableIterator,
  type PushHandlers,
} from '../lib/pushable.ts';

/** one event in, any number out through `emit`; a promise when the step goes on asynchronously */
export type EventTransform = (e: ChatEvent, emit: (e: ChatEvent) => void) => Promise<void> | undefined;

export function transformedStream(
  source: AsyncIterable<ChatEvent>,
  transform: EventTransform,
): PushableIterator<ChatEvent> {
  return new TransformedStream(source[Symbol.asyncIterator](), transform);
}

class TransformedStream implements PushableIterator<ChatEvent> {
  readonly #source: AsyncIterator<ChatEvent>;
  readonly #transform: EventTransform;
  /** transformed events not yet taken by next() */
  readonly #queue: ChatEvent[] = [];
  #ended = false;

  constructor(source: AsyncIterator<ChatEvent>, transform: EventTransform) {
    this.#source = source;
    this.#transform = transform;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<ChatEvent>> {
    const push = (e: ChatEvent): void => void this.#queue.push(e);
    while (this.#queue.length === 0) {
      if (this.#ended) return ITERATION_END;
      const r = await this.#source.next();
      if (r.done) this.#ended = true;
      else await this.#transform(r.value, push);
    }
    return { done: false, value: this.#queue.shift()! };
  }

  return(): Promise<IteratorResult<ChatEvent>> {
    this.#ended = true;
    return Promise.resolve(this.#source.return?.() ?? ITERATION_END).then(() => ITERATION_END);
  }

  subscribe(h: PushHandlers<ChatEvent>): void {
    const source = this.#source;
    if (!isPushable(source)) {
      pullInto(() => this.next(), h);
      return;
    }
    let pending: Promise<void> | undefined;
    let failed = false;
    const emit = (e: ChatEvent): void => {
      if (!failed) h.item(e);
    };
    source.subscribe({
      item: (e) => {
        const p = this.#transform(e, emit);
        if (p) pending = p;
      },
      end: (error) => {
        if (error !== undefined) {
          failed = true;
          h.end(error);
        } else if (pending)
          pending.then(
            () => h.end(),
            (e: unknown) => h.end(e),
          );
        else h.end();
      },
    });
  }
}
