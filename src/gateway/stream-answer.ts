// A streamed answer into a sink: keep-alives while the model is queued or loading, then the face's
// frames of every event as it comes, the face's in-stream error if the stream fails after it
// opened, and the usage row at the end: committed before the answer's last frames are written, so
// a client that got its whole answer is counted even if the gateway is killed right after.
//
// Every frame is written at once. Frames of one upstream read still leave in one packet: node:http
// corks a response's socket at its first write and uncorks it on the next tick, after every promise
// of that read has settled. A coalescing buffer of our own, flushed by setImmediate, cost a timer
// object and a turn of the event loop per token for no fewer writes.
import type { ChatEvent } from '../core/chat.ts';
import { toAppError } from '../core/errors/index.ts';
import { isPushable } from '../lib/pushable.ts';
import type { StreamFramer } from './face-adapter.ts';
import type { GatewayServices } from './gateway-services.ts';
import type { ResponseSink } from './response-sink.ts';
import { settledWithin } from './settled-within.ts';
import { recordRequest, type RequestEnd } from './usage-row.ts';

export interface StreamAnswer {
  s: GatewayServices;
  framer: StreamFramer;
  execution: Promise<AsyncIterable<ChatEvent>>;
  /** the first content is here already: no keep-alive before it */
  resolved: boolean;
  end: RequestEnd;
  /** true once the client went away: nothing more is written */
  gone: () => boolean;
  /** called once at the end, whatever happened */
  done: () => void;
}

export async function streamAnswer(a: StreamAnswer, sink: ResponseSink): Promise<void> {
  const { s, framer, execution, end } = a;
  const write = (text: string): void => {
    if (!a.gone()) sink.write(text);
  };
  let ended: Promise<void> | undefined;
  const endWith = (last: string): void => {
    ended = recordRequest(s, end).then(() => sink.end(a.gone() ? '' : last));
  };
  try {
    await keepAliveUntilFirst(a, write);
    const onEvent = (e: ChatEvent): void => {
      if (ended) return;
      // the answer ends with its final event: the lease's release and the scheduler's next
      // decision, which follow as the stream closes, do not delay the client's last bytes
      if (e.type === 'done') endWith(framer.encode(e));
      else write(framer.encode(e));
    };
    const events = await execution;
    if (isPushable(events))
      await new Promise<void>((resolve, reject) =>
        events.subscribe({
          item: onEvent,
          end: (e) => (e === undefined ? resolve() : reject(toAppError(e))),
        }),
      );
    else for await (const e of events) onEvent(e);
  } catch (e) {
    const err = toAppError(e);
    end.summary.errorCode ??= err.code;
    end.status = err.status;
    // the in-stream error goes out with the end of the response: one write
    if (!ended) endWith(framer.error(err));
  } finally {
    if (!ended) endWith('');
    a.done();
    await ended;
  }
}

/** a keep-alive every keepAliveMs until the first content (or a failure) is here */
async function keepAliveUntilFirst(a: StreamAnswer, write: (text: string) => void): Promise<void> {
  let settled = a.resolved;
  a.execution.then(
    () => (settled = true),
    () => (settled = true),
  );
  while (!settled) {
    write(a.framer.keepAlive());
    await settledWithin(a.s.clock, a.execution, a.s.keepAliveMs);
  }
}
