// Paired timing for the gateway benchmark: the emulator process stamps, per request, when the
// request reached it, when it wrote the first content token and when it ended the body; the load
// generator stamps when it sent the request and when the first token and the end arrived. All
// stamps come from one clock shared by every process on the machine (CLOCK_MONOTONIC, through
// process.hrtime), so receipt - emission is a real per-request duration across processes.
//
// Why: the end-to-end times (time to first token, total) include the emulator's own time, whose
// variance on a shared 2-core machine is larger than what the gateway adds. Time outside the
// emulator (arrival - sent, plus receipt - emission) is what a client pays on top of the model
// server; via the gateway it holds the extra hop, auth, parsing, translation, scheduling, encoding
// and every event-loop delay in the gateway.
//
// Requests are matched by an id the load generator writes into the prompt ([bench-id ...]): the
// one part of a request the gateway passes to Ollama unchanged. Bench code only; the product knows
// nothing of it.
import type { ServerResponse } from 'node:http';

/** ms on the machine's monotonic clock (the same in every process) */
export const stampNow = (): number => Number(process.hrtime.bigint()) / 1e6;

export const STAMPS_PATH = '/bench/stamps';

/** the prompt text carrying a request's id */
export const benchIdText = (id: string): string => `[bench-id ${id}]`;
const BENCH_ID = /\[bench-id ([^\]]+)\]/;

/** a content token: `"content":"x` in an NDJSON line or an OpenAI SSE delta (the role chunk's is
 * empty), `"text":"x` in an Anthropic text delta (content_block_start's text is empty) */
export const CONTENT = /"content":"[^"]|"text":"[^"]/;

export interface EmissionStamps {
  /** the emulator's handler got the request */
  arrived: number;
  /** the first content token was written to the socket */
  first?: number;
  /** the body was ended */
  last?: number;
}

/** a fetch handler under @hono/node-server: env.outgoing is the node:http response */
export type Handler = (req: Request, env: object) => Promise<Response> | Response;

/**
 * Wraps an emulator's fetch handler: stamps requests that carry a bench id and answers
 * GET /bench/stamps with the stamps gathered since the last call (then forgets them).
 */
export function stampingHandler(inner: Handler): Handler {
  let stamps = new Map<string, EmissionStamps>();
  return async (req, env) => {
    const arrived = stampNow();
    if (req.method === 'GET' && new URL(req.url).pathname === STAMPS_PATH) {
      const taken = Object.fromEntries(stamps);
      stamps = new Map();
      return Response.json(taken);
    }
    if (req.method !== 'POST') return inner(req, env);
    const body = await req.text();
    const id = BENCH_ID.exec(body)?.[1];
    const out = (env as { outgoing?: ServerResponse }).outgoing;
    if (id !== undefined && out) {
      const s: EmissionStamps = { arrived };
      stamps.set(id, s);
      stampWrites(out, s);
    }
    return inner(new Request(req.url, { method: 'POST', headers: req.headers, body }), env);
  };
}

/** stamps the first write carrying content and the end of the response, as they reach the socket */
function stampWrites(out: ServerResponse, s: EmissionStamps): void {
  const write = out.write.bind(out) as (...args: unknown[]) => boolean;
  const end = out.end.bind(out) as (...args: unknown[]) => ServerResponse;
  (out as { write: (...args: unknown[]) => boolean }).write = (...args) => {
    if (s.first === undefined && CONTENT.test(textOf(args[0]))) s.first = stampNow();
    return write(...args);
  };
  (out as { end: (...args: unknown[]) => ServerResponse }).end = (...args) => {
    s.last = stampNow();
    return end(...args);
  };
}

function textOf(chunk: unknown): string {
  if (typeof chunk === 'string') return chunk;
  return chunk instanceof Uint8Array
    ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8')
    : '';
}
