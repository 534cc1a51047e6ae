import { describe, expect, it } from 'vitest';
import { assertAdmin, assertMayUse, createAuthenticator, presentedKey } from './authenticator.ts';
import { hashKey } from './key-hash.ts';

const fast = { N: 1024, r: 8, p: 1 };

describe('presentedKey', () => {
  const h = (m: Record<string, string>) => (n: string) => m[n];
  it('reads Bearer and x-api-key', () => {
    expect(presentedKey(h({ authorization: 'Bearer abc ' }))).toBe('abc');
    expect(presentedKey(h({ authorization: 'bearer abc' }))).toBe('abc');
    expect(presentedKey(h({ 'x-api-key': 'k1' }))).toBe('k1');
    expect(presentedKey(h({ authorization: 'Basic zzz' }))).toBeUndefined();
    expect(presentedKey(h({}))).toBeUndefined();
  });
});

describe('authenticator', () => {
  it('runs open when nothing is configured', async () => {
    const a = createAuthenticator({ keys: [] });
    expect(a.open).toBe(true);
    expect(await a.authenticate(undefined)).toEqual({ kind: 'open' });
  });

  it('accepts the master key and named keys, refuses the rest', async () => {
    const ci = await hashKey('key-ci', fast);
    const a = createAuthenticator({
      masterKey: 'master-secret',
      keys: [{ name: 'ci', hash: ci, aliases: ['coder'] }],
    });
    expect(a.open).toBe(false);
    expect(await a.authenticate('master-secret')).toMatchObject({ kind: 'master' });
    const p = await a.authenticate('key-ci');
    expect(p).toEqual({ kind: 'key', keyName: 'ci', aliases: ['coder'] });
    expect(await a.authenticate('key-ci')).toEqual(p); // cached path
    await expect(a.authenticate('nope')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(a.authenticate('nope')).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(a.authenticate(undefined)).rejects.toMatchObject({ code: 'unauthorized' });
    expect(() => assertMayUse(p, 'coder')).not.toThrow();
    expect(() => assertMayUse(p, 'gpt-4')).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => assertAdmin(p)).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => assertAdmin({ kind: 'master' })).not.toThrow();
  });

  it('checks at most two unknown keys at once; a known key is not held back', async () => {
    const ci = await hashKey('key-ci', fast);
    const a = createAuthenticator({ keys: [{ name: 'ci', hash: ci }] });
    await a.authenticate('key-ci'); // now cached
    const flood = await Promise.allSettled(Array.from({ length: 6 }, (_, i) => a.authenticate(`wrong-${i}`)));
    const codes = flood.map((r) => (r.status === 'rejected' ? (r.reason as { code: string }).code : 'ok'));
    expect(codes.filter((c) => c === 'unauthorized')).toHaveLength(2);
    expect(codes.filter((c) => c === 'rate_limited')).toHaveLength(4);
    expect(
      flood.find((r) => r.status === 'rejected' && (r.reason as { code: string }).code === 'rate_limited'),
    ).toMatchObject({ reason: { retryAfterSeconds: 1 } });
    expect(await a.authenticate('key-ci')).toMatchObject({ kind: 'key', keyName: 'ci' });
  });

  it('checks a key presented by many requests at once only once (agents after a restart)', async () => {
    const ci = await hashKey('key-ci', fast);
    const a = createAuthenticator({ keys: [{ name: 'ci', hash: ci }] });
    const burst = await Promise.allSettled(Array.from({ length: 8 }, () => a.authenticate('key-ci')));
    expect(burst.map((r) => r.status)).toEqual(Array(8).fill('fulfilled'));
  });
});
