// `orchestra demo` flags: a bad value is a usage error (exit 2) naming the flag and what was found.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err: err.join('\n') };
}

describe('orchestra demo flags', () => {
  it.each(['1.5', '1e20', '=-3'])('refuses --seed%s', async (v) => {
    const r = await run([
      'demo',
      v.startsWith('=') ? `--seed${v}` : '--seed',
      ...(v.startsWith('=') ? [] : [v]),
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--seed: expected a whole number from 0 to 2147483647, found/);
  });
});
