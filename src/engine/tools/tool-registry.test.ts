import { describe, expect, it } from 'vitest';
import { toAiSdkTools } from './ai-sdk-tools.ts';
import { defineTool } from './define-tool.ts';
import { runTool } from './run-tool.ts';
import { tempWorkspace } from './temp-workspace.ts';
import { APP_TOOL_NAMES, appToolsFor } from './tool-registry.ts';
import { z } from 'zod';

describe('appToolsFor', () => {
  it('gives the tools asked for, in order, once each', () => {
    expect(appToolsFor(['write_file', 'read_file', 'write_file']).map((t) => t.name)).toEqual([
      'write_file',
      'read_file',
    ]);
    expect(APP_TOOL_NAMES).toEqual([
      'read_file',
      'write_file',
      'list_files',
      'patch_file',
      'run_command',
      'search_notes',
      'store_note',
    ]);
  });

  it('names the unknown tools and the known ones', () => {
    expect(() => appToolsFor(['read_file', 'rm_rf', 'fly'])).toThrow(
      /unknown tools "rm_rf", "fly": expected some of read_file, write_file/,
    );
  });

  it('says for each tool whether it has side effects, and gives a JSON Schema for the model', () => {
    const effects = Object.fromEntries(appToolsFor(APP_TOOL_NAMES).map((t) => [t.name, t.effect]));
    expect(effects).toEqual({
      read_file: 'none',
      write_file: 'workspace',
      list_files: 'none',
      patch_file: 'workspace',
      run_command: 'process',
      search_notes: 'none',
      store_note: 'knowledge',
    });
    const [read] = appToolsFor(['read_file']);
    expect(read!.jsonSchema).toMatchObject({
      type: 'object',
      required: ['path'],
      additionalProperties: false,
      properties: { path: { type: 'string' }, startLine: { type: 'integer', minimum: 1 } },
    });
    // defaulted fields are optional for the model
    expect(appToolsFor(['list_files'])[0]!.jsonSchema).not.toHaveProperty('required');
    for (const t of appToolsFor(APP_TOOL_NAMES)) expect(t.description.length).toBeGreaterThan(40);
  });

  it('hands the AI SDK description and schema, without execute: the engine runs the calls', () => {
    const set = toAiSdkTools(appToolsFor(['read_file', 'run_command']));
    expect(Object.keys(set)).toEqual(['read_file', 'run_command']);
    expect(set.read_file!.description).toMatch(/Read a text file/);
    expect(set.read_file).not.toHaveProperty('execute');
    expect(set.read_file!.inputSchema).toBe(appToolsFor(['read_file'])[0]!.input);
  });
});

describe('runTool', () => {
  it('turns invalid input, tool errors and crashes into results', async () => {
    const t = tempWorkspace();
    const crash = defineTool({
      name: 'crash',
      description: 'throws',
      input: z.object({ n: z.number() }),
      effect: 'none',
      execute: () => Promise.reject(new TypeError('boom')),
    });
    expect(await runTool(crash, { n: 'one' }, t.ctx)).toMatchObject({
      ok: false,
      error: { code: 'invalid_input' },
    });
    expect((await runTool(crash, { n: 'one' }, t.ctx)).content).toMatch(
      /^error \(invalid_input\): crash: n: /,
    );
    expect(await runTool(crash, { n: 1 }, t.ctx)).toMatchObject({
      ok: false,
      error: { code: 'internal', message: 'crash failed unexpectedly: boom' },
    });
    t.cleanup();
  });
});
