import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { complexity } from './complexity.ts';
import { buildPrompt, type PromptContext } from './prompt-builder.ts';
import { TokenEstimator } from './token-estimate.ts';
import { exampleValue, inputJsonSchema, toolCallExample } from './tool-examples.ts';

const tools = [
  {
    name: 'write_file',
    description: 'Write a file.',
    inputSchema: z.object({ path: z.string(), content: z.string() }),
  },
  {
    name: 'run_command',
    description: 'Run a command.',
    inputSchema: z.object({ command: z.string(), timeoutSeconds: z.number().int().min(1).optional() }),
    phases: ['test'],
  },
  {
    name: 'store_note',
    description: 'Store a note.',
    inputSchema: z.object({ kind: z.enum(['decision', 'issue']), text: z.string() }),
    phases: ['design'],
  },
];

const ctx = (extra: Partial<PromptContext> = {}): PromptContext => ({
  role: 'the coder.',
  phase: 'work',
  size: 'large',
  contextWindow: 8192,
  tools,
  taskTokens: 100,
  dependencies: 0,
  attempts: 0,
  failures: [],
  upstream: [],
  estimator: new TokenEstimator(),
  ...extra,
});

describe('complexity', () => {
  it('grows with size, dependencies, attempts and a hard phase, within 1-10', () => {
    const base = { taskTokens: 50, dependencies: 0, attempts: 0, phase: 'work' };
    expect(complexity(base)).toBe(1);
    expect(complexity({ ...base, taskTokens: 3000 })).toBe(4);
    expect(complexity({ ...base, dependencies: 3 })).toBe(3);
    expect(complexity({ ...base, attempts: 2, phase: 'design' })).toBe(4);
    expect(complexity({ taskTokens: 1e6, dependencies: 99, attempts: 99, phase: 'debug' })).toBe(10);
  });
});

describe('buildPrompt', () => {
  it('offers only the tools of the phase', () => {
    expect(buildPrompt(ctx()).tools.map((t) => t.name)).toEqual(['write_file']);
    expect(buildPrompt(ctx({ phase: 'test' })).tools.map((t) => t.name)).toEqual([
      'write_file',
      'run_command',
    ]);
  });

  it('gives small models the short variant with examples from the real schemas', () => {
    const small = buildPrompt(ctx({ size: 'small' }));
    expect(small.variant).toBe('short');
    expect(small.system).toContain('write_file {"path":"<path>","content":"<content>"}');
    expect(small.included).not.toContain('guidelines');
    const large = buildPrompt(ctx());
    expect(large.included).toContain('guidelines');
    expect(large.included).not.toContain('examples');
  });

  it('adds the reminder of the last failure, and only then', () => {
    const none = buildPrompt(ctx());
    expect(none.system).not.toContain('MUST have a name');
    const empty = buildPrompt(ctx({ failures: [{ kind: 'empty_name' }] }));
    expect(empty.system).toContain('Every tool call MUST have a name field naming one of: write_file');
    const unknown = buildPrompt(ctx({ failures: [{ kind: 'unknown_tool', name: 'writeFile' }] }));
    expect(unknown.system).toContain('There is no tool named "writeFile"');
    const noCall = buildPrompt(ctx({ failures: [{ kind: 'no_call' }] }));
    expect(noCall.system).toContain('without calling a tool');
  });

  it('leaves low-priority sections out when the budget is small, never the role or reminders', () => {
    const tight = buildPrompt(
      ctx({
        contextWindow: 300,
        failures: [{ kind: 'no_call' }],
        upstream: ['architect: ' + 'x '.repeat(400)],
      }),
    );
    expect(tight.included).toContain('role');
    expect(tight.included).toContain('reminder:no_call');
    expect(tight.included).not.toContain('upstream');
  });

  it('names the tools without repeating the descriptions their definitions carry', () => {
    const p = buildPrompt(ctx({ phase: 'test' }));
    expect(p.system).toContain('write_file, run_command');
    expect(p.system).not.toContain('Write a file.');
    expect(p.tools.map((t) => t.description)).toEqual(['Write a file.', 'Run a command.']);
  });

  it('measures the dynamic prompt against the full static prompt of the same step', () => {
    const p = buildPrompt(ctx());
    expect(p.tokens.dynamic).toBeGreaterThan(0);
    expect(p.tokens.dynamic).toBeLessThan(p.tokens.static);
  });
});

describe('tool examples', () => {
  it('satisfy the schema they come from', () => {
    for (const t of tools) {
      const value = exampleValue(inputJsonSchema(t.inputSchema));
      expect(t.inputSchema.safeParse(value).success, toolCallExample(t)).toBe(true);
    }
  });
});
