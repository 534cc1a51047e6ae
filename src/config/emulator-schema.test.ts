import { describe, expect, it } from 'vitest';
import { ConfigError, fleetJsonSchema, parseFleetText, TOOL_CALL_FORMS } from './index.ts';

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
});
