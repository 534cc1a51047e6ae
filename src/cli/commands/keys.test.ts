import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseFleetText } from '../../config/index.ts';
import { createAuthenticator } from '../../gateway/authenticator.ts';
import { UsageError } from '../command.ts';
import { keysCommand } from './keys.ts';

const dir = mkdtempSync(join(tmpdir(), 'orch-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('orchestra keys', () => {
  it('adds a key shown once whose hash authenticates, lists and removes it', async () => {
    const file = join(dir, 'fleet.yaml');
    writeFileSync(
      file,
      '# fleet\nservers:\n  - {name: s, url: "http://127.0.0.1:1"}\nmodels:\n  - {name: m, memoryGiB: 1, servers: [s]}\naliases:\n  coder: [m]\n',
    );
    const a = io();
    expect(await keysCommand.run(['add', 'ci', '--config', file, '--aliases', 'coder'], a.io)).toBe(0);
    const key = a.out[0]!;
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(key);
    expect(text).toContain('# fleet');
    const fleet = parseFleetText(text, file, { env: {} });
    const auth = createAuthenticator({ keys: fleet.gateway.keys });
    expect(await auth.authenticate(key)).toEqual({ kind: 'key', keyName: 'ci', aliases: ['coder'] });

    const l = io();
    await keysCommand.run(['list', '--config', file], l.io);
    expect(l.out).toEqual(['ci\tcoder']);
    await expect(keysCommand.run(['add', 'ci', '--config', file], io().io)).rejects.toBeInstanceOf(
      UsageError,
    );
    expect(await keysCommand.run(['remove', 'ci', '--config', file], io().io)).toBe(0);
    const l2 = io();
    await keysCommand.run(['list', '--config', file], l2.io);
    expect(l2.out[0]).toMatch(/no keys/);
    await expect(keysCommand.run(['remove', 'ci', '--config', file], io().io)).rejects.toBeInstanceOf(
      UsageError,
    );
    await expect(keysCommand.run(['frobnicate'], io().io)).rejects.toBeInstanceOf(UsageError);
  });
});
