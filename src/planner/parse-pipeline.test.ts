import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/config-error.ts';
import { parsePipelineText } from './parse-pipeline.ts';
import { parseDuration } from './pipeline-schema.ts';

const messageOf = (text: string): string => {
  try {
    parsePipelineText(text, 'p.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('parsePipelineText', () => {
  it('reads agents with defaults', () => {
    const p = parsePipelineText(
      `name: x
agents:
  - { id: a, model: m, work: 3m }
  - { id: b, model: m, work: { prompt: 100, output: 10 }, after: [a], priority: high }`,
      'p.yaml',
    );
    expect(p.agents[0]).toMatchObject({ id: 'a', after: [], priority: 'medium', optional: false });
    expect(p.agents[1]!.work).toEqual({ prompt: 100, output: 10, turns: 1 });
  });

  it('parses durations in s, m and h', () => {
    expect([
      parseDuration('45s'),
      parseDuration('3.75m'),
      parseDuration('1h'),
      parseDuration('3'),
      parseDuration('0m'),
    ]).toEqual([45, 225, 3600, undefined, undefined]);
  });

  it('prints a dependency cycle with its agents', () => {
    const msg = messageOf(`agents:
  - { id: a, model: m, work: 1m, after: [c] }
  - { id: b, model: m, work: 1m, after: [a] }
  - { id: c, model: m, work: 1m, after: [b] }
  - { id: d, model: m, work: 1m }`);
    expect(msg).toMatch(/dependency cycle .*: (a -> b -> c -> a|b -> c -> a -> b|c -> a -> b -> c)/);
  });

  it('names unknown agents in after, with a suggestion', () => {
    expect(
      messageOf(`agents:
  - { id: python, model: m, work: 1m }
  - { id: qa, model: m, work: 1m, after: [pyton] }`),
    ).toMatch(
      /p\.yaml: agents\[1\]\.after\[0\]: agent qa waits for unknown agent "pyton" \(did you mean python\?\)/,
    );
  });

  it('rejects duplicate ids, self-dependencies, bad work and unknown keys, naming the agent', () => {
    const msg = messageOf(`agents:
  - { id: a, model: m, work: 1m, after: [a] }
  - { id: a, model: m, work: 1m }`);
    expect(msg).toMatch(/agent a is defined twice/);
    expect(msg).toMatch(/agent a waits for itself/);
    expect(messageOf(`agents:\n  - { id: a, model: m, work: "3 minutes" }`)).toMatch(
      /agents\[0\]\.work: .*agent a/,
    );
    // what was found, as the fleet config says it
    expect(messageOf(`agents:\n  - { id: a, model: m, work: 0m }`)).toBe(
      'p.yaml: agents[0].work: expected a duration like "45s", "3m" or "1.5h", found "0m" (agent a)',
    );
    expect(messageOf(`agents: []`)).toBe('p.yaml: agents: expected at least one agent, found an empty list');
    expect(messageOf(`agents:\n  - { id: a, model: m, work: 1m, colour: red }`)).toMatch(
      /unknown key colour \(agent a\)/,
    );
    expect(messageOf(`agents: [`)).toMatch(/invalid YAML/);
    expect(messageOf(`agents:\n  - { id: a, model: m, work: { prompt: 0, output: 0 } }`)).toMatch(
      /agents\[0\]\.work: .*agent a/,
    );
  });
});
