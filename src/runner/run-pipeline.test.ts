import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePipelineText } from '../planner/index.ts';
import { parseRunPipelineText } from './run-pipeline.ts';

const EXAMPLES = resolve(import.meta.dirname, '../../examples');

const messageOf = (text: string): string => {
  try {
    parseRunPipelineText(text, 'p.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('run pipeline file', () => {
  it('reads the runner keys with defaults and keeps the planner view', () => {
    const p = parseRunPipelineText(
      `name: t
arbiter: qwen-fast
workspace: { template: ws }
agents:
  - id: a
    model: m
    work: 3m
    role: Design.
    tools: [read_file, write_file]
  - id: b
    model: m
    work: 2m
    after: [a]
    instructions: Build it.
    specialists: [m, n]
    accept: { command: "node --test", timeoutSeconds: 30 }
    maxSteps: 5`,
      '/x/p.yaml',
    );
    expect(p.arbiter).toBe('qwen-fast');
    expect(p.workspaceTemplate).toBe('/x/ws');
    expect(p.agents[0]).toMatchObject({
      instructions: 'Design.',
      specialists: ['m'],
      accept: [],
      maxSteps: 20,
    });
    expect(p.agents[1]).toMatchObject({
      specialists: ['m', 'n'],
      accept: [{ command: 'node --test', timeoutSeconds: 30 }],
      maxSteps: 5,
    });
    expect(p.planned.agents.map((a) => a.id)).toEqual(['a', 'b']);
  });

  it('names the file, key, what was expected and what was found', () => {
    expect(messageOf(`agents: [{ id: a, model: m, work: 3m, tools: [rm_rf] }]`)).toMatch(
      /p\.yaml: agents\[0\]\.tools\[0\]: expected one of .*"read_file".*found "rm_rf"/,
    );
    expect(messageOf(`agents: [{ id: a, model: m, work: 3m, accept: { command: "" } }]`)).toMatch(
      /p\.yaml: agents\[0\]\.accept/,
    );
    expect(messageOf(`agents: [{ id: a, model: m, work: 3m, maxSteps: 0 }]`)).toMatch(
      /agents\[0\]\.maxSteps: expected at least 1 step, found 0/,
    );
    expect(messageOf(`agents: [{ id: a, model: m, work: 3m }]\nworkspace: { template: 3 }`)).toMatch(
      /workspace\.template/,
    );
  });

  it('reports the planner keys and the runner keys of a file together', () => {
    const m = messageOf(`agents: [{ id: a, model: m, work: 3, tools: [fly], maxSteps: 0 }]`);
    expect(m.split('\n')).toEqual([
      'p.yaml: agents[0].work: expected a string or a mapping, found 3 (agent a)',
      expect.stringMatching(
        /^p\.yaml: agents\[0\]\.tools\[0\]: expected one of .*, found "fly" \(agent a\)$/,
      ),
      'p.yaml: agents[0].maxSteps: expected at least 1 step, found 0 (agent a)',
    ]);
  });

  it('says which key of an acceptance check is wrong', () => {
    const accept = (yaml: string): string =>
      messageOf(`agents: [{ id: a, model: m, work: 3m, accept: ${yaml} }]`);
    expect(accept('{ command: 42 }')).toBe(
      'p.yaml: agents[0].accept.command: expected a string, found 42 (agent a)',
    );
    expect(accept('[{ command: "true" }, { command: 42 }]')).toBe(
      'p.yaml: agents[0].accept[1].command: expected a string, found 42 (agent a)',
    );
    expect(accept('{ review: yes }')).toBe(
      'p.yaml: agents[0].accept.review: expected one of "approve", found "yes" (agent a)',
    );
    expect(accept('{ foo: 1 }')).toBe(
      'p.yaml: agents[0].accept: expected { command: "...", timeoutSeconds?: N } or { review: approve }, found a mapping with the keys foo (agent a)',
    );
  });

  it('reads every example pipeline with both the planner and the runner', () => {
    const dirs = [
      join(EXAMPLES, 'seed'),
      ...readdirSync(EXAMPLES, { withFileTypes: true })
        .filter((d) => d.isDirectory() && d.name !== 'seed')
        .map((d) => join(EXAMPLES, d.name)),
    ];
    let n = 0;
    for (const dir of dirs)
      for (const f of readdirSync(dir).filter((f) => f.startsWith('pipeline') && f.endsWith('.yaml'))) {
        const text = readFileSync(join(dir, f), 'utf8');
        expect(() => parsePipelineText(text, f)).not.toThrow();
        expect(() => parseRunPipelineText(text, f)).not.toThrow();
        n++;
      }
    expect(n).toBeGreaterThanOrEqual(2);
  });
});
