import { describe, expect, it } from 'vitest';
import type { ChatEvent } from '../core/chat.ts';
import { ManualClock } from '../lib/clock.ts';
import { ITERATION_END, type PushableIterator, type PushHandlers } from '../lib/pushable.ts';
import type { LeaseOutcome } from '../scheduler/scheduler-port.ts';
import { committedStream, type CommittedParts } from './committed-stream.ts';
import { newSummary } from './execution-summary.ts';
import { Watchdog } from './watchdog.ts';

const text = (delta: string): ChatEvent => ({ type: 'text', delta });
const usage = { inputTokens: 3, outputTokens: 2 };
const done: ChatEvent = { type: 'done', finishReason: 'stop', usage };

/** a backend stream the test feeds by hand; it ignores aborts, as a misbehaving backend would */
function fedStream(): PushableIterator<ChatEvent> & {
  feed(e: ChatEvent): void;
  close(): void;
  returned: boolean;
} {
  let h: PushHandlers<ChatEvent> | undefined;
  return {
    returned: false,
    feed: (e) => h!.item(e),
    close: () => h!.end(),
    subscribe(handlers) {
      h = handlers;
    },
    next: () => Promise.reject(new Error('pushed only')),
    return() {
      this.returned = true;
      return Promise.resolve(ITERATION_END);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

function parts(iterator: AsyncIterator<ChatEvent>, buffered: ChatEvent[] = [text('a')]) {
  const clock = new ManualClock();
  const log: string[] = [];
  const released: LeaseOutcome[] = [];
  const p: CommittedParts = {
    clock,
    iterator,
    buffered,
    lease: {
      requestId: 'r',
      server: 's',
      model: 'm',
      queuedMs: 0,
      loadMs: 0,
      release: (o) => released.push(o),
    },
    watchdog: new Watchdog(clock),
    abort: () => log.push('abort'),
    clientSignal: new AbortController().signal,
    idleMs: 1000,
    totalDeadline: 60_000,
    summary: newSummary(),
    onSuccess: () => log.push('success'),
    onFailure: (e) => log.push(`failure ${e.code}`),
  };
  return { p, clock, log, released };
}

function subscribe(s: PushableIterator<ChatEvent>) {
  const seen: ChatEvent[] = [];
  const ended = new Promise<unknown>((resolve) =>
    s.subscribe({ item: (e) => seen.push(e), end: (e) => resolve(e ?? 'ok') }),
  );
  return { seen, ended };
}

describe('committed stream, pushed', () => {
  it('hands out the buffered events, then the backend’s as they come; at the final event the lease ends ok with the usage', async () => {
    const backend = fedStream();
    const { p, log, released } = parts(backend);
    const { seen, ended } = subscribe(committedStream(p));
    expect(seen).toEqual([text('a')]);
    backend.feed(text('b'));
    backend.feed(done);
    backend.close();
    expect(await ended).toBe('ok');
    expect(seen).toEqual([text('a'), text('b'), done]);
    expect(log).toEqual(['success']);
    expect(released).toEqual([{ ok: true, usage, timings: undefined }]);
    expect(p.summary.usage).toEqual(usage);
  });

  it('a backend silent past the idle timeout fails the stream even if it ignores the abort; the lease ends once, not ok', async () => {
    const backend = fedStream();
    const { p, clock, log, released } = parts(backend);
    const { seen, ended } = subscribe(committedStream(p));
    await clock.advance(900);
    backend.feed(text('b')); // re-arms the idle timeout
    await clock.advance(900);
    expect(seen).toHaveLength(2);
    await clock.advance(200);
    expect(await ended).toMatchObject({ code: 'upstream_timeout', message: /idleSeconds/ });
    expect(log).toEqual(['failure upstream_timeout', 'abort']);
    expect(released).toEqual([{ ok: false, cancelled: false }]);
    expect(backend.returned).toBe(true);
    backend.feed(text('late'));
    expect(seen).toHaveLength(2);
  });

  it('a backend stream that ends without its final event is an upstream error', async () => {
    const backend = fedStream();
    const { p, log, released } = parts(backend);
    const { ended } = subscribe(committedStream(p));
    backend.close();
    expect(await ended).toMatchObject({ code: 'upstream_error', message: /without a final event/ });
    expect(log).toEqual(['failure upstream_error', 'abort']);
    expect(released).toEqual([{ ok: false, cancelled: false }]);
  });

  it('pulls a backend stream that cannot push, with the same outcome', async () => {
    async function* events(): AsyncGenerator<ChatEvent> {
      for (const e of [text('b'), done]) yield await Promise.resolve(e);
    }
    const { p, log, released } = parts(events());
    const { seen, ended } = subscribe(committedStream(p));
    expect(await ended).toBe('ok');
    expect(seen).toEqual([text('a'), text('b'), done]);
    expect(log).toEqual(['success']);
    expect(released).toHaveLength(1);
  });
});

describe('committed stream, pulled', () => {
  it('a consumer that stops early cancels: the lease ends once as cancelled and the upstream call is aborted', async () => {
    const backend = fedStream();
    const { p, log, released } = parts(backend, [text('a'), text('b')]);
    const s = committedStream(p);
    expect(await s.next()).toEqual({ done: false, value: text('a') });
    await s.return();
    await s.return();
    expect(log).toEqual(['abort']);
    expect(released).toEqual([{ ok: false, cancelled: true }]);
    expect(p.summary.errorCode).toBe('cancelled');
    expect(await s.next()).toEqual(ITERATION_END);
  });

  it('reads to the final event and then ends the lease ok', async () => {
    async function* events(): AsyncGenerator<ChatEvent> {
      yield await Promise.resolve(done);
    }
    const { p, log, released } = parts(events());
    const seen: ChatEvent[] = [];
    for await (const e of committedStream(p)) seen.push(e);
    expect(seen).toEqual([text('a'), done]);
    expect(log).toEqual(['success']);
    expect(released).toEqual([{ ok: true, usage, timings: undefined }]);
  });
});
