import { RETRYABLE_CODES, statusOf, type ErrorCode } from './codes.ts';

export interface AppErrorOptions {
  /** overrides the code's default retryability (e.g. a 500 that is known to be permanent) */
  retryable?: boolean;
  /** seconds a client should wait before retrying (429/503) */
  retryAfterSeconds?: number;
  /** where the problem is: a key path, a field, a model name */
  path?: string;
  /** status the upstream answered with, when the error came from a backend */
  upstreamStatus?: number;
  cause?: unknown;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterSeconds: number | undefined;
  readonly path: string | undefined;
  readonly upstreamStatus: number | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = options.retryable ?? RETRYABLE_CODES.has(code);
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.path = options.path;
    this.upstreamStatus = options.upstreamStatus;
  }

  get status(): number {
    return statusOf(this.code);
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** Wraps anything thrown into an AppError, keeping AppErrors as they are. */
export function toAppError(e: unknown): AppError {
  if (e instanceof AppError) return e;
  if (e instanceof Error && e.name === 'AbortError')
    return new AppError('cancelled', 'request was cancelled');
  const message = e instanceof Error ? e.message : String(e);
  return new AppError('internal', message, { cause: e });
}
