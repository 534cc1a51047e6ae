import { describe, expect, it } from 'vitest';
import { ConfigError, fleetJsonSchema, parseFleetText, repairSettingsFor } from './index.ts';

const fleetText = (models: string, aliases = ''): string => `
servers:
  - name: mini
    url: http://127.0.0.1:11434
    memoryGiB: 20
  - name: cloud
    kind: anthropic
    url: https://api.anthropic.com
    apiKeyEnv: ANTHROPIC_API_KEY
models:
${models}
${aliases}`;

const LOCAL_AND_CLOUD = `
  - name: qwen
    memoryGiB: 4.4
    servers: [mini]
  - name: small
    memoryGiB: 2
    servers: [mini]
  - name: claude
    servers: [cloud]`;

function problemsOf(text: string): string[] {
  try {
    parseFleetText(text, 'orchestra.yaml', { env: {} });
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n');
    throw e;
  }
  return [];
}

describe('tool_calls.repair settings', () => {
  it('default to salvage for a local model and off for a cloud one', () => {
    const fleet = parseFleetText(fleetText(LOCAL_AND_CLOUD), 'orchestra.yaml', { env: {} });
    const [qwen, , claude] = fleet.models;
    expect(repairSettingsFor(fleet, qwen!, undefined)).toEqual({ mode: 'salvage', interpreter: 'qwen' });
    expect(repairSettingsFor(fleet, claude!, 'claude')).toEqual({ mode: 'off', interpreter: 'claude' });
  });

  it('take the model setting, and an alias setting over it', () => {
    const models = LOCAL_AND_CLOUD.replace(
      'servers: [mini]\n  - name: small',
      'servers: [mini]\n    tool_calls: { repair: off }\n  - name: small',
    );
    const aliases = `aliases:
  coder: [qwen]
  agent:
    models: [qwen, claude]
    tool_calls: { repair: full, interpreter: small }`;
    const fleet = parseFleetText(fleetText(models, aliases), 'orchestra.yaml', { env: {} });
    const qwen = fleet.models[0]!;
    expect(fleet.aliases.agent).toEqual(['qwen', 'claude']);
    expect(repairSettingsFor(fleet, qwen, 'coder')).toEqual({ mode: 'off', interpreter: 'qwen' });
    expect(repairSettingsFor(fleet, qwen, 'agent')).toEqual({ mode: 'full', interpreter: 'small' });
    expect(repairSettingsFor(fleet, fleet.models[2]!, 'agent').mode).toBe('full');
  });

  it('name file, key, what was expected and what was found', () => {
    const bad = LOCAL_AND_CLOUD.replace(
      'servers: [cloud]',
      'servers: [cloud]\n    tool_calls: { repair: on }',
    );
    expect(problemsOf(fleetText(bad))).toEqual([
      'orchestra.yaml: models[2].tool_calls.repair: expected one of "off", "salvage", "full", found "on"',
    ]);
    const aliasBad = `aliases:\n  agent:\n    models: [qwen]\n    tool_calls: { repair: full, interpreter: nope }`;
    expect(problemsOf(fleetText(LOCAL_AND_CLOUD, aliasBad))).toEqual([
      expect.stringMatching(
        /^orchestra\.yaml: aliases\.agent\.tool_calls\.interpreter: unknown model "nope" \(expected one of: qwen, small, claude\)$/,
      ),
    ]);
    const typo = `aliases:\n  agent:\n    model: [qwen]`;
    expect(problemsOf(fleetText(LOCAL_AND_CLOUD, typo))).toEqual([
      'orchestra.yaml: aliases.agent: unknown key model',
    ]);
    const wrongType = `aliases:\n  agent: qwen`;
    expect(problemsOf(fleetText(LOCAL_AND_CLOUD, wrongType))).toEqual([
      'orchestra.yaml: aliases.agent: expected a list or a mapping, found "qwen"',
    ]);
    const badRepairInAlias = `aliases:\n  agent:\n    models: [qwen]\n    tool_calls: { repair: yes }`;
    expect(problemsOf(fleetText(LOCAL_AND_CLOUD, badRepairInAlias))).toEqual([
      'orchestra.yaml: aliases.agent.tool_calls.repair: expected one of "off", "salvage", "full", found "yes"',
    ]);
  });

  it('are in the JSON Schema', () => {
    const text = JSON.stringify(fleetJsonSchema());
    expect(text).toContain('"tool_calls"');
    expect(text).toContain('"enum":["off","salvage","full"]');
  });
});
