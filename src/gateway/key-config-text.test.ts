import { describe, expect, it } from 'vitest';
import { parseFleetText } from '../config/index.ts';
import { addKeyToText, listKeysInText, removeKeyFromText } from './key-config-text.ts';

const TEXT = `# my fleet
servers:
  - name: s1 # the mini
    url: http://127.0.0.1:11434
models:
  - name: m1
    memoryGiB: 4
    servers: [s1]
aliases:
  coder: [m1]
`;
const HASH = 'scrypt$1024$8$1$c2FsdA$aGFzaA';

describe('key config text', () => {
  it('adds a key, keeps comments, and the result is a valid fleet', () => {
    const out = addKeyToText(TEXT, 'f.yaml', { name: 'ci', hash: HASH, aliases: ['coder'] });
    expect(out).toContain('# my fleet');
    expect(out).toContain('# the mini');
    const fleet = parseFleetText(out, 'f.yaml', { env: {} });
    expect(fleet.gateway.keys).toEqual([{ name: 'ci', hash: HASH, aliases: ['coder'] }]);
    const two = addKeyToText(out, 'f.yaml', { name: 'dev', hash: HASH });
    expect(listKeysInText(two, 'f.yaml').map((k) => k.name)).toEqual(['ci', 'dev']);
    const back = removeKeyFromText(two, 'f.yaml', 'ci');
    expect(listKeysInText(back, 'f.yaml')).toEqual([{ name: 'dev', hash: HASH }]);
  });

  it('refuses duplicates, unknown aliases, bad names and unknown keys with clear messages', () => {
    const out = addKeyToText(TEXT, 'f.yaml', { name: 'ci', hash: HASH });
    expect(() => addKeyToText(out, 'f.yaml', { name: 'ci', hash: HASH })).toThrow(/exists already/);
    expect(() => addKeyToText(TEXT, 'f.yaml', { name: 'x', hash: HASH, aliases: ['gpt'] })).toThrow(
      /alias "gpt" is not in f.yaml \(aliases: coder\)/,
    );
    expect(() => addKeyToText(TEXT, 'f.yaml', { name: 'a b', hash: HASH })).toThrow(/key name/);
    expect(() => removeKeyFromText(TEXT, 'f.yaml', 'zz')).toThrow(/no key named zz/);
    expect(() => listKeysInText('a: [', 'f.yaml')).toThrow(/invalid YAML/);
  });
});
