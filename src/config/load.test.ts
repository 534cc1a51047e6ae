import { describe, expect, it } from 'vitest';
import { ConfigError, loadFleetFile, parseFleetText } from './index.ts';

const base = `
servers:
  - name: a
    url: http://127.0.0.1:11434
    memoryGiB: 20
models:
  - name: m7
    memoryGiB: 4.4
    servers: [a]
`;

function problemsOf(text: string, env: Record<string, string> = {}): string[] {
  try {
    parseFleetText(text, 'orchestra.yaml', { env });
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n');
    throw e;
  }
  return [];
}

describe('fleet config', () => {
  it('applies defaults from the schema', () => {
    const fleet = parseFleetText(base, 'orchestra.yaml', { env: {} });
    expect(fleet.servers[0]).toMatchObject({
      kind: 'ollama',
      maxLoadedModels: 3,
      parallel: 1,
      queueMax: 512,
    });
    expect(fleet.models[0]).toMatchObject({ contextTokens: 8192, toolProtocol: 'native' });
    expect(fleet.gateway.port).toBe(4000);
    expect(fleet.scheduler.policy).toBe('gxa');
  });

  it('names file, key path, expectation and what was found', () => {
    const text = base.replace('memoryGiB: 20', 'memoryGiB: lots');
    expect(problemsOf(text)).toEqual([
      'orchestra.yaml: servers[0].memoryGiB: expected a positive number, found "lots"',
    ]);
  });

  it('says a required list was found empty', () => {
    expect(problemsOf(base.replace(/models:[\s\S]*$/, 'models: []\n'))).toEqual([
      'orchestra.yaml: models: expected at least one model, found an empty list',
    ]);
  });

  it('reports enum mismatches and unknown keys', () => {
    const text = base.replace('memoryGiB: 20', 'memoryGiB: 20\n    profile: m9\n    colour: red');
    const problems = problemsOf(text);
    expect(problems).toContain(
      'orchestra.yaml: servers[0].profile: expected one of "m4-32", "m4pro-64", "rtx4090-24", "seed", found "m9"',
    );
    expect(problems).toContain('orchestra.yaml: servers[0]: unknown key colour');
  });

  it('interpolates ${VAR} and ${VAR:-default}, and names a missing variable', () => {
    const text = base.replace('http://127.0.0.1:11434', '${OLLAMA_HOST:-http://127.0.0.1:11500}');
    expect(parseFleetText(text, 'f.yaml', { env: {} }).servers[0]!.url).toBe('http://127.0.0.1:11500');
    expect(
      parseFleetText(text, 'f.yaml', { env: { OLLAMA_HOST: 'http://10.0.0.2:1' } }).servers[0]!.url,
    ).toBe('http://10.0.0.2:1');
    const missing = base.replace('http://127.0.0.1:11434', '${OLLAMA_HOST}');
    expect(problemsOf(missing)[0]).toMatch(
      /^orchestra\.yaml: servers\[0\]\.url: environment variable OLLAMA_HOST is not set/,
    );
  });

  it('checks references between sections', () => {
    const text = `${base}aliases:\n  fast: [m7, nope]\n`.replace('servers: [a]', 'servers: [a, b]');
    const problems = problemsOf(text);
    expect(problems.some((p) => p.includes('models[0].servers[1]: unknown server "b"'))).toBe(true);
    expect(problems.some((p) => p.includes('aliases.fast[1]: unknown model "nope"'))).toBe(true);
  });

  it('takes an embedding model for the knowledge store by model or alias name, and checks it', () => {
    expect(parseFleetText(base, 'orchestra.yaml', { env: {} }).knowledge).toBeUndefined();
    const byAlias = `${base}aliases:\n  embed: [m7]\nknowledge:\n  embeddingModel: embed\n  dimensions: 256\n`;
    expect(parseFleetText(byAlias, 'orchestra.yaml', { env: {} }).knowledge).toEqual({
      embeddingModel: 'embed',
      dimensions: 256,
    });
    expect(problemsOf(`${base}knowledge: { embeddingModel: m7 }\n`)).toEqual([]);
    expect(problemsOf(`${base}knowledge: { embeddingModel: nomic }\n`).join('\n')).toContain(
      'knowledge.embeddingModel: unknown model or alias "nomic" (expected one of: m7)',
    );
    expect(problemsOf(`${base}knowledge: { dimensions: 256 }\n`).join('\n')).toContain(
      'knowledge.dimensions: expected knowledge.embeddingModel with dimensions',
    );
    expect(problemsOf(`${base}knowledge: { model: m7 }\n`).join('\n')).toMatch(/knowledge.*model/);
  });

  it('refuses a model that fits no server, naming it and the servers', () => {
    const text = base.replace('memoryGiB: 4.4', 'memoryGiB: 40');
    expect(problemsOf(text)[0]).toMatch(/models\[0\]\.memoryGiB: model m7 needs .* on a .*fits no server/);
  });

  it('refuses resident models that cannot be loaded together, naming them and the server', () => {
    // the emulator and the scheduler could honour only part of such a list, and said so nowhere
    const text = `${base}  - name: m14
    memoryGiB: 9
    servers: [a]
  - name: m32
    memoryGiB: 16
    servers: [a]
`.replace('memoryGiB: 20', 'memoryGiB: 20\n    resident: [m7, m14]');
    expect(problemsOf(text)).toEqual([]);
    expect(problemsOf(text.replace('resident: [m7, m14]', 'resident: [m14, m32]'))).toEqual([
      'orchestra.yaml: servers[0].resident: models m14, m32 need 28.5 GiB together (with KV of their contexts), server a has 20 GiB: keep fewer of them resident',
    ]);
    const few = text.replace('memoryGiB: 20', 'memoryGiB: 40\n    maxLoadedModels: 1');
    expect(problemsOf(few)).toEqual([
      'orchestra.yaml: servers[0].resident: 2 models, server a loads at most 1 (maxLoadedModels): keep fewer of them resident',
    ]);
  });

  it('refuses an API key written into the config', () => {
    const text = base.replace('memoryGiB: 20', 'memoryGiB: 20\n    apiKeyEnv: sk-abc123');
    expect(problemsOf(text)[0]).toMatch(/apiKeyEnv: expected the name of an environment variable/);
  });

  it('reports invalid YAML and a missing file without a crash', () => {
    expect(problemsOf('servers: [')[0]).toMatch(/^orchestra\.yaml: invalid YAML: .*line \d+, column \d+$/);
    expect(() => loadFleetFile('/nonexistent/orchestra.yaml')).toThrow(/file not found/);
  });

  it('says a missing key is missing, in the words it uses for what it found', () => {
    expect(problemsOf('models: []\n')).toContain(
      'orchestra.yaml: servers: expected a list, found nothing (the key is missing)',
    );
  });

  it('names the range of a port out of range', () => {
    expect(problemsOf(`${base}gateway:\n  port: 70000\n`)).toContain(
      'orchestra.yaml: gateway.port: expected a port from 1 to 65535, found 70000',
    );
  });

  it('reports a YAML document that refers to itself instead of overflowing the stack', () => {
    const text = `${base}gateway: &g\n  self: *g\n`;
    expect(problemsOf(text)[0]).toMatch(
      /^orchestra\.yaml: gateway\.self: a YAML alias refers to a mapping or list that contains it$/,
    );
  });

  it('finds only configured aliases, never Object.prototype members', () => {
    const fleet = parseFleetText(`${base}aliases:\n  fast: [m7]\n`, 'f.yaml', { env: {} });
    expect(fleet.aliases.fast).toEqual(['m7']);
    for (const name of ['toString', '__proto__', 'hasOwnProperty', 'constructor'])
      expect(fleet.aliases[name]).toBeUndefined();
  });

  it('accepts the shipped examples', () => {
    for (const f of ['mac-mini.yaml', 'two-servers.yaml', 'army.yaml']) {
      expect(() =>
        loadFleetFile(new URL(`../../examples/${f}`, import.meta.url).pathname, { env: {} }),
      ).not.toThrow();
    }
  });
});
