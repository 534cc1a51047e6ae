import { describe, expect, it } from 'vitest';
import { generateKey, hashKey, verifyKey } from './key-hash.ts';

const fast = { N: 1024, r: 8, p: 1 };

describe('key hashing', () => {
  it('generates distinct keys with the orch- prefix', () => {
    const a = generateKey();
    expect(a).toMatch(/^orch-[A-Za-z0-9_-]{32}$/);
    expect(generateKey()).not.toBe(a);
  });

  it('verifies the right key and rejects others, in the config format', async () => {
    const key = generateKey();
    const stored = await hashKey(key, fast);
    expect(stored).toMatch(/^scrypt\$1024\$8\$1\$[\w-]+\$[\w-]+$/);
    expect(stored).not.toContain(key);
    expect(await verifyKey(key, stored)).toBe(true);
    expect(await verifyKey(key + 'x', stored)).toBe(false);
    expect(await verifyKey('', stored)).toBe(false);
  });

  it('salts: the same key hashes differently each time', async () => {
    const key = generateKey();
    expect(await hashKey(key, fast)).not.toBe(await hashKey(key, fast));
  });

  it('treats malformed hashes as no match', async () => {
    for (const bad of ['scrypt$', 'scrypt$x$8$1$a$b', 'bcrypt$1$2$3$a$b', 'scrypt$1024$8$1$$'])
      expect(await verifyKey('k', bad)).toBe(false);
  });
});
