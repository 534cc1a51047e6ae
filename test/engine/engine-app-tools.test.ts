// The engine with the real application tools (src/engine/tools) in a real temporary workspace.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import type { EngineTool } from '../../src/engine/engine-types.ts';
import { closeRunTools, toolsFor } from '../../src/engine/tools/index.ts';
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
  closeRunTools();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workspace(): string {
  const base = mkdtempSync(join(tmpdir(), 'engine-ws-'));
  dirs.push(base);
  mkdirSync(join(base, 'ws'));
  return join(base, 'ws');
}

function tools(dir: string): EngineTool<never>[] {
  return toolsFor(['write_file', 'read_file'], dir, 'run1');
}

describe('engine: application tools', () => {
  it('writes real files in the workspace and refuses a path that escapes it, telling the model', async () => {
    const dir = workspace();
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
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [coder] }, undefined, {
      tools: tools(dir),
    });
    const { outcome, log } = await h.run(agentSpec());
    expect(outcome).toMatchObject({ status: 'succeeded', filesChanged: ['src/add.ts'] });
    expect(readFileSync(join(dir, 'src/add.ts'), 'utf8')).toBe('export const add = 1;\n');
    const effects = log.list.filter((e) => e.type === 'tool_effect');
    expect(effects[0]).toMatchObject({ tool: 'write_file', result: { ok: false } });
    expect(effects[0]!.result.output).toMatch(/escape|outside|workspace/i);
    expect(effects[1]).toMatchObject({ result: { ok: true, filesChanged: ['src/add.ts'] } });
  });

  it('after a crash between a write and its logged result, the resumed run does not write again', async () => {
    const writer = (input: ResponderInput) =>
      input.messages.some((m) => m.role === 'tool')
        ? { content: 'Wrote it.' }
        : { content: '', toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'A' } }] };
    const dir = workspace();
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [writer] }, undefined, {
      tools: tools(dir),
    });
    const reference = await h.run(agentSpec());
    h.close();
    closeRunTools();
    const k = reference.log.list.findIndex((e) => e.type === 'tool_effect');

    const dir2 = workspace();
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [writer] }, undefined, {
      tools: tools(dir2),
    });
    const log = new MemoryLog();
    log.crashAfter = k; // the write ran; its result never reached the log
    await expect(h.run(agentSpec(), log)).rejects.toThrow('crash (test)');
    // someone edits the file before the resume: a second write would put "A" back
    writeFileSync(join(dir2, 'a.txt'), 'edited');
    log.crashAfter = undefined;
    const resumed = await h.run(agentSpec(), new MemoryLog(log.list));
    expect(resumed.outcome).toEqual(reference.outcome);
    expect(readFileSync(join(dir2, 'a.txt'), 'utf8')).toBe('edited');
  });
});
