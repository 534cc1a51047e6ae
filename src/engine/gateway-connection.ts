// Where the engine reaches the gateway: in process through the Hono app's fetch (the default: the
// runner composes the gateway beside the engine), or over HTTP when the gateway runs elsewhere
// (`orchestra serve` on another host). Both end at the gateway's OpenAI face, so a call is
// scheduled, counted and repaired the same way either way.
import { AppError } from '../core/errors/index.ts';
import type { GatewayConnection } from './engine-types.ts';

/** the base URL of in-process calls: never resolved, the app's fetch answers it */
export const IN_PROCESS_BASE_URL = 'http://gateway.in-process/v1';

export type GatewayTarget =
  /** the composed gateway's Hono app (or anything with its fetch) */
  | { app: { fetch(request: Request): Response | Promise<Response> } }
  /**
   * a gateway at `url` (its origin, or the OpenAI face's base ending in /v1); `apiKey` is a
   * gateway key from the environment, never from a config file
   */
  | { url: string; apiKey?: string; fetch?: typeof fetch };

export function gatewayConnection(target: GatewayTarget): GatewayConnection {
  if ('app' in target) {
    const app = target.app;
    return {
      baseURL: IN_PROCESS_BASE_URL,
      fetch: (input, init) =>
        Promise.resolve(app.fetch(input instanceof Request ? input : new Request(input, init))),
    };
  }
  return {
    baseURL: openAIBase(target.url),
    ...(target.fetch ? { fetch: target.fetch } : {}),
    ...(target.apiKey ? { apiKey: target.apiKey } : {}),
  };
}

/** `http://host:8080` or `http://host:8080/v1/` -> `http://host:8080/v1` */
function openAIBase(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid(raw, 'not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw invalid(raw, `the scheme is ${url.protocol.slice(0, -1)}`);
  // the URL is not echoed: it holds a secret
  if (url.username || url.password)
    throw new AppError(
      'bad_request',
      `gateway URL of ${url.host}: expected no credentials in the URL, found a user or password (pass a gateway key as apiKey)`,
    );
  if (url.search || url.hash) throw invalid(raw, 'it has a query or a fragment');
  const path = url.pathname.replace(/\/+$/, '');
  return `${url.origin}${path.endsWith('/v1') ? path : `${path}/v1`}`;
}

function invalid(raw: string, why: string): AppError {
  return new AppError(
    'bad_request',
    `gateway URL ${JSON.stringify(raw)}: expected http(s)://host[:port][/v1], found ${why}`,
  );
}
