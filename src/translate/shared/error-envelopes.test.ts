import { describe, expect, it } from 'vitest';
import { AppError, ERROR_STATUS, type ErrorCode } from '../../core/errors/index.ts';
import { AnthropicErrorBodySchema } from '../../protocol/anthropic/error.ts';
import { OpenAIErrorBodySchema } from '../../protocol/openai/error.ts';
import { toAnthropicError } from '../anthropic/anthropic-error.ts';
import { toOpenAIError } from '../openai/openai-error.ts';

describe('error envelopes', () => {
  it('every code gets its table status and a valid envelope in both APIs', () => {
    for (const code of Object.keys(ERROR_STATUS) as ErrorCode[]) {
      const e = new AppError(code, `boom ${code}`);
      const o = toOpenAIError(e);
      const a = toAnthropicError(e);
      expect(o.status).toBe(ERROR_STATUS[code]);
      expect(a.status).toBe(ERROR_STATUS[code]);
      expect(OpenAIErrorBodySchema.parse(o.body).error.message).toBe(`boom ${code}`);
      expect(AnthropicErrorBodySchema.parse(a.body).error.message).toBe(`boom ${code}`);
    }
  });

  it('uses the APIs own error types', () => {
    const type = (code: ErrorCode) => toAnthropicError(new AppError(code, 'x')).body.error.type;
    expect(type('bad_request')).toBe('invalid_request_error');
    expect(type('unauthorized')).toBe('authentication_error');
    expect(type('forbidden')).toBe('permission_error');
    expect(type('model_not_found')).toBe('not_found_error');
    expect(type('payload_too_large')).toBe('request_too_large');
    expect(type('rate_limited')).toBe('rate_limit_error');
    expect(type('overloaded')).toBe('overloaded_error');
    expect(type('internal')).toBe('api_error');
    const o = toOpenAIError(new AppError('bad_request', 'bad', { path: 'messages[0]' }));
    expect(o.body).toEqual({
      error: { message: 'bad', type: 'invalid_request_error', param: 'messages[0]', code: 'bad_request' },
    });
  });

  it('sets Retry-After in whole seconds only when known', () => {
    const e = new AppError('rate_limited', 'slow down', { retryAfterSeconds: 2.2 });
    expect(toOpenAIError(e).headers).toEqual({ 'retry-after': '3' });
    expect(toAnthropicError(e, 'req_9').headers).toEqual({ 'retry-after': '3' });
    expect(toAnthropicError(e, 'req_9').body.request_id).toBe('req_9');
    expect(toAnthropicError(new AppError('internal', 'x')).headers).toEqual({});
  });
});
