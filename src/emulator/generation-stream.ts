// Streams a generation's tokens at the modelled rate on the emulator's clock: one chunk per token
// (NDJSON line or SSE event), then the final chunk when the core reports the request done. The
// reset fault breaks the stream off after N chunks; a client that goes away cancels the request.
//
// Ollama writes a stream's response head with its first chunk (gin sends headers on the first
// Write; streamResponse still gives an error before any chunk its own status), so a client sees
// the head only after load and prefill. The stream is handed over once its first chunk is ready,
// and the head carries `transfer-encoding: chunked`, which tells @hono/node-server to write the
// head and that chunk at once rather than wait a timer looking for a content length.
import type { EmulatorContext } from './emulator-context.ts';
import type { Finished, Generation } from './generation.ts';
import type { ResponderToolCall } from './responders/responder.ts';

/** the head of a streamed response (see above) */
export const STREAMED = { 'transfer-encoding': 'chunked' } as const;

export interface StreamRender {
  /** the chunk carrying one reasoning token (requests that asked to think) */
  thinking?(delta: string): string;
  /** the chunk carrying one text token */
  token(delta: string): string;
  /** the chunk carrying the tool calls, if any */
  toolCalls(calls: ResponderToolCall[]): string;
  /** the closing chunk(s) */
  final(finished: Finished): string;
}

/**
 * `hangUp`, when the response goes out on a socket, closes the connection after what was written
 * so far (a reset the client sees after its N chunks); without it the stream errors instead.
 */
export async function generationStream(
  ctx: EmulatorContext,
  gen: Generation,
  render: StreamRender,
  signal: AbortSignal,
  hangUp?: () => void,
): Promise<ReadableStream<Uint8Array>> {
  const abort = new AbortController();
  const stop = (): void => {
    abort.abort();
    gen.cancel();
  };
  signal.addEventListener('abort', stop, { once: true });
  const chunks = produce(ctx, gen, render, abort.signal);
  let first: IteratorResult<string> | undefined;
  try {
    first = await chunks.next();
  } catch (e) {
    signal.removeEventListener('abort', stop);
    stop();
    throw e;
  }
  const encoder = new TextEncoder();
  let sent = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = first ?? (await chunks.next());
        first = undefined;
        if (next.done) {
          signal.removeEventListener('abort', stop);
          return controller.close();
        }
        const limit = ctx.faults().resetAfterChunks;
        if (limit !== undefined && sent >= limit) {
          stop();
          if (hangUp) return hangUp();
          return controller.error(new Error('connection reset by peer (emulated fault)'));
        }
        sent++;
        controller.enqueue(encoder.encode(next.value));
      } catch (e) {
        stop();
        controller.error(e);
      }
    },
    cancel() {
      stop();
    },
  });
}

async function* produce(
  ctx: EmulatorContext,
  gen: Generation,
  render: StreamRender,
  signal: AbortSignal,
): AsyncGenerator<string> {
  const thinking = gen.thinkingTokens;
  const all = [...thinking, ...gen.tokens];
  for (let i = 0; i < all.length; i++) {
    // The projection moves when other streams join or leave the runner (shared decode): re-check.
    for (let at = ctx.core.tokenTime(gen.id, i); at !== undefined && at > ctx.clock.now();) {
      await ctx.clock.sleep(at - ctx.clock.now(), signal);
      at = ctx.core.tokenTime(gen.id, i);
    }
    if (i >= thinking.length) yield render.token(all[i]!);
    else if (render.thinking) yield render.thinking(all[i]!);
  }
  const finished = await gen.ticket.finished;
  if (gen.toolCalls.length > 0) yield render.toolCalls(gen.toolCalls);
  yield render.final(finished);
}
