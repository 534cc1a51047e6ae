// Reads a request body as JSON within gateway.bodyLimitBytes: AppError 'payload_too_large' beyond
// it (checked on Content-Length and on the bytes actually read), 'bad_request' for broken JSON or
// JSON nested too deep.
import { AppError } from '../core/errors/index.ts';
import { bufferedBody, headerReader, type NodeRequest } from './node-request.ts';

/** `incoming`: the node:http request under @hono/node-server, read directly (node-request.ts) */
export async function readJsonBody(
  request: Request,
  limitBytes: number,
  incoming?: NodeRequest,
): Promise<unknown> {
  const declared = Number(headerReader(request, incoming)('content-length') ?? NaN);
  if (declared > limitBytes) throw tooLarge(declared, limitBytes);
  // With a declared length the framing bounds the body, so it can be read in one go (on
  // @hono/node-server straight from the socket, without building a web stream); the size is
  // checked again on what arrived. Without one it is read piece by piece up to the limit.
  const text = Number.isFinite(declared)
    ? (bufferedText(incoming, declared, limitBytes) ?? (await readDeclared(request, limitBytes)))
    : await readText(request, limitBytes);
  if (text.trim() === '')
    throw new AppError('bad_request', 'body: expected a JSON object, found an empty body');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new AppError('bad_request', `body: invalid JSON (${(e as Error).message})`);
  }
  if (deeperThan(body, MAX_DEPTH))
    throw new AppError('bad_request', `body: nested deeper than ${MAX_DEPTH} levels`);
  return body;
}

/**
 * JSON.parse reads far deeper nesting than JSON.stringify writes: a body (a tool schema) some
 * thousands of levels deep would overflow the stack when the gateway serialises it again (token
 * estimate, upstream request) and end in a 500. Real payloads stay within a few dozen levels.
 */
const MAX_DEPTH = 512;

/**
 * whether `v` nests objects or arrays more than `levels` deep; the recursion stops `levels` down,
 * so it cannot overflow itself (and is several times faster than an explicit stack)
 */
function deeperThan(v: unknown, levels: number): boolean {
  if (typeof v !== 'object' || v === null) return false;
  if (levels === 0) return true;
  if (Array.isArray(v)) {
    for (const item of v as unknown[]) if (deeperThan(item, levels - 1)) return true;
    return false;
  }
  const o = v as Record<string, unknown>;
  for (const k in o) if (deeperThan(o[k], levels - 1)) return true;
  return false;
}

async function readDeclared(request: Request, limitBytes: number): Promise<string> {
  const text = await request.text();
  return checked(text, Buffer.byteLength(text), limitBytes);
}

/** the body already buffered in node's request (node-request.ts), else undefined */
function bufferedText(
  incoming: NodeRequest | undefined,
  declared: number,
  limitBytes: number,
): string | undefined {
  const buffered = bufferedBody(incoming, declared);
  return buffered && checked(buffered.toString('utf8'), buffered.byteLength, limitBytes);
}

function checked(text: string, size: number, limitBytes: number): string {
  if (size > limitBytes) throw tooLarge(size, limitBytes);
  return text;
}

async function readText(request: Request, limitBytes: number): Promise<string> {
  if (!request.body) return '';
  const reader: ReadableStreamDefaultReader<Uint8Array> = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limitBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(size, limitBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function tooLarge(size: number, limit: number): AppError {
  return new AppError(
    'payload_too_large',
    `body: ${size} bytes is over the limit of ${limit} bytes (gateway.bodyLimitBytes)`,
  );
}
