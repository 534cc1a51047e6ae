export { AppError, isAppError, toAppError, type AppErrorOptions } from './app-error.ts';
export { ERROR_STATUS, RETRYABLE_CODES, statusOf, type ErrorCode } from './codes.ts';
