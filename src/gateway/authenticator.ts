// Who is calling: the master key (admin), a named key (optionally limited to some aliases), or
// nobody when the gateway runs open. Keys are compared in constant time; verified keys are cached
// by their SHA-256 so scrypt runs once per key, not once per request.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { GatewayKey } from '../config/index.ts';
import { AppError } from '../core/errors/index.ts';
import { verifyKey } from './key-hash.ts';

export interface Principal {
  kind: 'master' | 'key' | 'open';
  /** the key's name for usage rows (never the key) */
  keyName?: string;
  /** aliases this principal may use; all when undefined */
  aliases?: readonly string[];
}

export interface Authenticator {
  /** true when neither a master key nor named keys are configured */
  readonly open: boolean;
  /** resolves the caller of a request; AppError 'unauthorized' when the key is missing or wrong */
  authenticate(presented: string | undefined): Promise<Principal>;
}

/** the key a client sent: `Authorization: Bearer KEY` or `x-api-key: KEY` */
export function presentedKey(header: (name: string) => string | undefined): string | undefined {
  const auth = header('authorization');
  if (auth) {
    const m = /^Bearer\s+(.+)$/i.exec(auth.trim());
    if (m) return m[1]!.trim();
  }
  const x = header('x-api-key');
  return x ? x.trim() : undefined;
}

const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();
const MAX_CACHE = 10_000;
/**
 * scrypt runs on libuv's 4-thread pool (which DNS lookups share): a flood of random wrong keys,
 * each a cache miss, must not occupy it. Beyond this many checks in flight, new unknown keys get
 * a 429 with Retry-After; known keys (cached) are not affected.
 */
const MAX_VERIFYING = 2;

export function createAuthenticator(options: {
  keys: readonly GatewayKey[];
  masterKey?: string;
}): Authenticator {
  const master = options.masterKey === undefined ? undefined : sha256(options.masterKey);
  const keys = options.keys;
  // digest (hex) -> the key it matched, or null for a key known to be wrong
  const cache = new Map<string, GatewayKey | null>();
  // digest (hex) -> its check in flight: agents sharing a key and starting together (a gateway
  // restart) wait for one check instead of counting as a flood of unknown keys
  const checking = new Map<string, Promise<GatewayKey | undefined>>();
  let verifying = 0;

  async function verify(presented: string, id: string): Promise<GatewayKey | undefined> {
    verifying++;
    let found: GatewayKey | undefined;
    try {
      for (const k of keys) if (await verifyKey(presented, k.hash)) found = k;
    } finally {
      verifying--;
    }
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(id, found ?? null);
    return found;
  }

  function lookup(presented: string, digest: Buffer): Promise<GatewayKey | undefined> {
    const id = digest.toString('hex');
    const hit = cache.get(id);
    if (hit !== undefined) return Promise.resolve(hit ?? undefined);
    const inFlight = checking.get(id);
    if (inFlight) return inFlight;
    if (verifying >= MAX_VERIFYING)
      return Promise.reject(
        new AppError('rate_limited', 'too many API keys are being checked at once; retry shortly', {
          retryAfterSeconds: 1,
        }),
      );
    const check = verify(presented, id).finally(() => checking.delete(id));
    checking.set(id, check);
    return check;
  }

  return {
    open: master === undefined && keys.length === 0,
    async authenticate(presented) {
      if (master === undefined && keys.length === 0) return { kind: 'open' };
      if (!presented)
        throw new AppError(
          'unauthorized',
          'missing API key: send it as "Authorization: Bearer KEY" or "x-api-key: KEY"',
        );
      const digest = sha256(presented);
      if (master && timingSafeEqual(digest, master)) return { kind: 'master', keyName: 'master' };
      const key = await lookup(presented, digest);
      if (!key) throw new AppError('unauthorized', 'invalid API key');
      return { kind: 'key', keyName: key.name, aliases: key.aliases };
    },
  };
}

/** AppError 'forbidden' unless `principal` may use `alias` */
export function assertMayUse(principal: Principal, alias: string): void {
  if (principal.aliases && !principal.aliases.includes(alias))
    throw new AppError(
      'forbidden',
      `key ${principal.keyName ?? ''} may not use model ${JSON.stringify(alias)} (allowed: ${principal.aliases.join(', ')})`,
    );
}

/** AppError 'forbidden' unless the caller holds the master key (or the gateway runs open) */
export function assertAdmin(principal: Principal): void {
  if (principal.kind === 'key') throw new AppError('forbidden', 'this endpoint needs the master key');
}
