// Turns what goes wrong talking to Ollama into AppErrors that say whether a retry can help:
// HTTP statuses with Ollama's {"error": "..."} body, network failures, and aborts.
import { AppError, type ErrorCode } from '../core/errors/index.ts';
import { OllamaErrorSchema } from '../protocol/ollama/index.ts';

export interface ErrorContext {
  /** e.g. "POST /api/chat" */
  endpoint: string;
  baseUrl: string;
  model?: string;
  /** a 500 during an explicit load is a load failure whatever its message */
  loading?: boolean;
  /** ms since the epoch, to read an HTTP-date Retry-After */
  now: number;
}

// Messages Ollama gives when a runner cannot start (out of memory, crashed runner, bad weights).
const LOAD_FAILURE = /memory|load|runner|terminated|allocat|cuda|metal|gguf|exit status/i;

export async function errorFromResponse(res: Response, ctx: ErrorContext): Promise<AppError> {
  const raw = await res.text().catch(() => '');
  const message = upstreamMessage(raw, res.status);
  const where = `${ctx.endpoint} on ${ctx.baseUrl}`;
  const options = { upstreamStatus: res.status, path: ctx.model };
  const status = res.status;
  const code = codeFor(status, message, ctx, raw);
  const text =
    code === 'model_not_found' && ctx.model !== undefined
      ? `model "${ctx.model}" not found on ${ctx.baseUrl}: ${message}`
      : `Ollama ${where} answered ${status}: ${message}`;
  if (code === 'overloaded' || code === 'rate_limited') {
    const retryAfterSeconds = retryAfterOf(res.headers.get('retry-after'), ctx.now);
    return new AppError(
      code,
      text,
      retryAfterSeconds === undefined ? options : { ...options, retryAfterSeconds },
    );
  }
  if (code === 'upstream_error' && status >= 400 && status < 500)
    return new AppError(code, text, { ...options, retryable: false });
  return new AppError(code, text, options);
}

function codeFor(status: number, message: string, ctx: ErrorContext, raw: string): ErrorCode {
  if (status === 400 || status === 422) return 'bad_request';
  // A 404 without Ollama's JSON body is a missing endpoint (an old or different server), not a model.
  if (status === 404) return isOllamaErrorBody(raw) ? 'model_not_found' : 'upstream_error';
  if (status === 413) return 'payload_too_large';
  if (status === 429) return 'rate_limited';
  if (status === 499) return 'cancelled';
  if (status === 503) return 'overloaded';
  if (status === 504) return 'upstream_timeout';
  if (status === 500 && (ctx.loading === true || LOAD_FAILURE.test(message))) return 'load_failed';
  return 'upstream_error';
}

function isOllamaErrorBody(raw: string): boolean {
  try {
    return OllamaErrorSchema.safeParse(JSON.parse(raw)).success;
  } catch {
    return false;
  }
}

/** Ollama's error text from a body, or the body itself cut short, or the status when empty. */
export function upstreamMessage(raw: string, status: number): string {
  try {
    const parsed = OllamaErrorSchema.safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data.error;
  } catch {
    // not JSON: fall through to the text
  }
  const text = raw.trim();
  if (text === '') return `HTTP ${status} with an empty body`;
  return text.length > 300 ? `${text.slice(0, 300)}...` : text;
}

/** Retry-After as seconds: either delay-seconds or an HTTP date. */
export function retryAfterOf(header: string | null, now: number): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * An error thrown by fetch or while reading a body: abort -> cancelled (or upstream_timeout for
 * a timeout signal), network failure -> upstream_unavailable, anything else -> upstream_error.
 */
export function errorFromFailure(e: unknown, ctx: ErrorContext, signal?: AbortSignal): AppError {
  if (e instanceof AppError) return e;
  const where = `${ctx.endpoint} on ${ctx.baseUrl}`;
  if (signal?.aborted === true || isAbort(e)) {
    const reason: unknown = signal?.reason ?? e;
    if (reason instanceof Error && reason.name === 'TimeoutError')
      return new AppError('upstream_timeout', `Ollama ${where} timed out`, { cause: e });
    return new AppError('cancelled', `request to Ollama ${where} was cancelled`, { cause: e });
  }
  const code = networkCode(e);
  const detail = e instanceof Error ? e.message : String(e);
  if (code !== undefined || (e instanceof TypeError && /fetch failed|terminated|network/i.test(detail)))
    return new AppError(
      'upstream_unavailable',
      `Ollama ${where} is unreachable (${code ?? detail}); is the server running?`,
      { cause: e },
    );
  return new AppError('upstream_error', `Ollama ${where} failed: ${detail}`, { cause: e });
}

function isAbort(e: unknown): boolean {
  return e instanceof Error && (e.name === 'AbortError' || e.name === 'TimeoutError');
}

/** The errno-like code of a network failure, looking through `cause` chains (undici nests them). */
function networkCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 5 && cur instanceof Error; depth++) {
    const code = (cur as Error & { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    cur = cur.cause;
  }
  return undefined;
}
