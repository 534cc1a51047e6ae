// The engine with the real application tools in a real temporary workspace.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import { engineTools } from '../../src/engine/app-tools.ts';
import { openWorkspace, toolsFor } from '../../src/engine/tools/index.ts';
import type { EngineTool } from '../../src/engine/engine-types.ts';
import { agentSpec, engineHarness, json, MemoryLog, type EngineHarness } from './engine-harness.ts';

const consult = json({
  action: 'consult',
  specialist: 'coder',
  instruction: 'Write src/add.ts.',
  acceptance: 'it exists',
});
const approve = json({ action: 'review', review: { verdict: 'approve' } });
const finish = json({ action: 'finish', result: 'done' });

let h: EngineHarness | undefined;
const dirs: string[] = [];
afterEach(() => {
  h?.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('engine: application tools', () => {
  it('writes real files in the workspace and refuses a path that escapes it, telling the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'engine-ws-'));
    dirs.push(dir);
    const tools = engineTools(toolsFor(['write_file', 'read_file']), {
      workspace: openWorkspace(dir),
      env: {},
    });
    const coder = (input: ResponderInput) => {
      const results = input.messages.filter((m) => m.role === 'tool');
      if (results.length === 0)
        return {
          content: '',
          toolCalls: [{ name: 'write_file', arguments: { path: '../escape.ts', content: 'x' } }],
        };
      if (results.length === 1)
        return {
          content: '',
          toolCalls: [
            { name: 'write_file', arguments: { path: 'src/add.ts', content: 'export const add = 1;\n' } },
          ],
        };
      return { content: `Wrote src/add.ts after: ${results[0]!.content}` };
    };
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [coder] }, undefined, { tools });
    const { outcome, log } = await h.run(agentSpec());
    expect(outcome).toMatchObject({ status: 'succeeded', filesChanged: ['src/add.ts'] });
    expect(readFileSync(join(dir, 'src/add.ts'), 'utf8')).toBe('export const add = 1;\n');
    const effects = log.list.filter((e) => e.type === 'tool_effect');
    expect(effects[0]).toMatchObject({ tool: 'write_file', result: { ok: false } });
    expect(effects[0]!.result.output).toMatch(/escape|outside|workspace/i);
    expect(effects[1]).toMatchObject({ result: { ok: true, filesChanged: ['src/add.ts'] } });
  });
});

describe('engine: application tools after a crash in the middle of a call', () => {
  const writer = (input: ResponderInput) =>
    input.messages.some((m) => m.role === 'tool')
      ? { content: 'Wrote it.' }
      : { content: '', toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'A' } }] };

  function setup(): { dir: string; runs: { n: number }; tools: EngineTool<never>[] } {
    const dir = mkdtempSync(join(tmpdir(), 'engine-ws-'));
    dirs.push(dir);
    const runs = { n: 0 };
    const tools = engineTools(toolsFor(['write_file', 'read_file']), {
      workspace: openWorkspace(dir),
      env: {},
    }).map((t) => ({
      ...t,
      execute: (input: never, c: Parameters<typeof t.execute>[1]) => {
        runs.n++;
        return t.execute(input, c);
      },
    }));
    return { dir, runs, tools };
  }

  it('does not write again a file the logged plan shows written', async () => {
    const ref = setup();
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [writer] }, undefined, {
      tools: ref.tools,
    });
    const reference = await h.run(agentSpec());
    h.close();
    const k = reference.log.list.findIndex((e) => e.type === 'tool_effect');
    expect(reference.log.list[k - 1]).toMatchObject({
      type: 'tool_effect_started',
      plan: { kind: 'file', path: 'a.txt' },
    });

    const run = setup();
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [writer] }, undefined, {
      tools: run.tools,
    });
    const log = new MemoryLog();
    log.crashAfter = k; // the write ran, its result was never persisted
    await expect(h.run(agentSpec(), log)).rejects.toThrow('crash (test)');
    expect(readFileSync(join(run.dir, 'a.txt'), 'utf8')).toBe('A');
    log.crashAfter = undefined;
    const resumed = await h.run(agentSpec(), new MemoryLog(log.list));
    expect(resumed.outcome).toEqual(reference.outcome);
    expect(run.runs.n).toBe(1);
    expect(resumed.log.list[k]).toMatchObject({
      type: 'tool_effect',
      result: { ok: true, filesChanged: ['a.txt'] },
    });
  });
});
