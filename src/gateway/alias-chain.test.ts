import { describe, expect, it } from 'vitest';
import { parseFleetText } from '../config/index.ts';
import { AppError } from '../core/errors/index.ts';
import { resolveChain } from './alias-chain.ts';

const fleet = parseFleetText(
  `servers:
  - { name: a, url: 'http://127.0.0.1:11434', memoryGiB: 20 }
models:
  - { name: m7, memoryGiB: 4.4, servers: [a] }
  - { name: m14, memoryGiB: 8.4, servers: [a] }
aliases:
  coder: [m14, m7]
`,
  'f.yaml',
  { env: {} },
);

describe('resolveChain', () => {
  it('maps an alias to its chain and a model name to itself', () => {
    expect(resolveChain(fleet, 'coder').map((m) => m.name)).toEqual(['m14', 'm7']);
    expect(resolveChain(fleet, 'm7').map((m) => m.name)).toEqual(['m7']);
  });

  it('answers model_not_found (404) for names of Object.prototype members', () => {
    for (const name of ['toString', '__proto__', 'hasOwnProperty', 'constructor', 'nope']) {
      let error: unknown;
      try {
        resolveChain(fleet, name);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).status).toBe(404);
    }
  });
});
