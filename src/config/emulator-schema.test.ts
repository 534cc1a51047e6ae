import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, fleetJsonSchema, loadFleetFile, parseFleetText, TOOL_CALL_FORMS } from './index.ts';

const dir = mkdtempSync(join(tmpdir(), 'orch-emulator-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fleet = (models: string, top = ''): string => `
servers:
  - { name: a, url: "http://127.0.0.1:11434", memoryGiB: 20 }
models:
  - name: m7
    memoryGiB: 4.4
    servers: [a]
${models}
${top}`;

function problemsOf(text: string): string[] {
  try {
    parseFleetText(text, 'orchestra.yaml', { env: {} });
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n');
    throw e;
  }
  return [];
}

describe('emulator keys of the fleet config', () => {
  it('accepts per-model settings and fleet rules, with defaults', () => {
    const parsed = parseFleetText(
      fleet(
        `    emulator:
      toolCallForms: { native: 0.5, tags: 0.3, python: 0.2 }
      rules: [{ user: "hi", text: "hello" }]`,
        `emulator:
  rules:
    - { agent: /^impl/, toolResult: "FAIL", turn: "2+", text: "fixed", delayMs: 100, tokens: 40 }`,
      ),
      'orchestra.yaml',
      { env: {} },
    );
    expect(parsed.models[0]!.emulator).toEqual({
      seed: 0,
      callTools: false,
      toolCallForms: { native: 0.5, tags: 0.3, python: 0.2 },
      rules: [{ user: 'hi', text: 'hello' }],
    });
    expect(parsed.emulator!.rules[0]).toMatchObject({ agent: '/^impl/', turn: '2+', delayMs: 100 });
    expect(parseFleetText(fleet(''), 'o.yaml', { env: {} }).emulator).toBeUndefined();
  });

  it('names the file, the key, what was expected and what was found', () => {
    expect(problemsOf(fleet('    emulator: { toolCallForms: { tagz: 0.3 } }'))).toEqual([
      'orchestra.yaml: models[0].emulator.toolCallForms: unknown key tagz',
    ]);
    expect(problemsOf(fleet('    emulator: { toolCallForms: { tags: 0.7, python: 0.5 } }'))).toEqual([
      'orchestra.yaml: models[0].emulator.toolCallForms: expected rates that add up to at most 1, found 1.2',
    ]);
    expect(problemsOf(fleet('    emulator: { toolCallForms: { tags: 2 } }'))).toEqual([
      'orchestra.yaml: models[0].emulator.toolCallForms.tags: expected a rate from 0 to 1, found 2',
    ]);
    expect(problemsOf(fleet('', 'emulator: { rules: [{ user: "([", text: x }] }'))).toEqual([
      'orchestra.yaml: emulator.rules[0].user: expected a valid regular expression, found "(["',
    ]);
    expect(problemsOf(fleet('', 'emulator: { rules: [{ user: x, text: y, form: tag }] }'))[0]).toMatch(
      /^orchestra\.yaml: emulator\.rules\[0\]\.form: expected one of "native", .*, found "tag"$/,
    );
    expect(problemsOf(fleet('', 'emulator: { rules: [{ user: x }] }'))).toEqual([
      'orchestra.yaml: emulator.rules[0]: expected "text", "json" or "toolCalls" in every rule, found a mapping',
    ]);
  });

  it('takes scripted replies as written: ${...} in them is not an environment variable', () => {
    const text = fleet('', 'emulator: { rules: [{ user: x, text: "`${name}` and ${HOME}" }] }');
    expect(parseFleetText(text, 'o.yaml', { env: { HOME: '/root' } }).emulator!.rules[0]!.text).toBe(
      '`${name}` and ${HOME}',
    );
    // elsewhere interpolation still applies
    expect(problemsOf(fleet('').replace('m7', '${NAME_UNSET}'))[0]).toMatch(/NAME_UNSET is not set/);
  });

  it('exports the keys in the JSON Schema', () => {
    const schema = JSON.stringify(fleetJsonSchema());
    for (const key of ['toolCallForms', 'callTools', 'toolResult', 'delayMs', 'turn', 'agent'])
      expect(schema).toContain(`"${key}"`);
    for (const form of TOOL_CALL_FORMS) expect(schema).toContain(`"${form}"`);
  });

  it('reads the script files named in emulator.scripts, relative to the config, after its rules', () => {
    mkdirSync(join(dir, 'scripts'), { recursive: true });
    writeFileSync(
      join(dir, 'scripts', 'tdd.yaml'),
      'rules:\n  - { user: "^b$", text: "from the file ${x}" }\n',
    );
    const file = join(dir, 'fleet.yaml');
    writeFileSync(
      file,
      fleet('', 'emulator:\n  scripts: [scripts/tdd.yaml]\n  rules: [{ user: "^a$", text: inline }]'),
    );
    const loaded = loadFleetFile(file, { env: {} });
    expect(loaded.emulator!.rules.map((r) => r.text)).toEqual(['inline', 'from the file ${x}']);

    writeFileSync(join(dir, 'scripts', 'bad.yaml'), 'rules:\n  - { user: "(", text: x }\n');
    writeFileSync(file, fleet('', 'emulator:\n  scripts: [scripts/bad.yaml, scripts/none.yaml]'));
    expect(() => loadFleetFile(file, { env: {} })).toThrow(
      'scripts/bad.yaml: rules[0].user: expected a valid regular expression, found "("',
    );
    writeFileSync(file, fleet('', 'emulator:\n  scripts: [scripts/none.yaml]'));
    expect(() => loadFleetFile(file, { env: {} })).toThrow(
      /fleet\.yaml: emulator\.scripts\[0\]: cannot read the script .*none\.yaml: file not found/,
    );
  });

  it('refuses a rule naming a model the fleet does not have', () => {
    expect(
      problemsOf(fleet('', 'emulator: { rules: [{ model: m8, text: x }, { model: "/^m/", text: y }] }')),
    ).toEqual([
      'orchestra.yaml: emulator.rules[0].model: unknown model "m8" (expected one of: m7, or a /regex/)',
    ]);
  });
});
