// The engine with the real application tools on a real workspace: a scripted coder writes, patches
// (once wrongly: the error comes back to it as a tool result) and runs a command; the engine logs
// each effect, and the files and the command's output are real.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput, ResponderOutput } from '../../src/emulator/responders/responder.ts';
import { runAgent } from '../../src/engine/engine.ts';
import { closeRunTools, toolsFor } from '../../src/engine/tools/index.ts';
import { tempWorkspace, type TempWorkspace } from '../../src/engine/tools/temp-workspace.ts';
import { sequentialIds } from '../../src/lib/ids.ts';
import { BASE, gatewayHarness, type GatewayHarness } from '../e2e/gateway-harness.ts';
import { MemoryLog, SPECIALISTS, agentSpec, engineFleet, json } from './engine-harness.ts';

let h: GatewayHarness | undefined;
let t: TempWorkspace | undefined;
afterEach(() => {
  h?.close();
  closeRunTools();
  t?.cleanup();
});

const TOOLS = ['write_file', 'read_file', 'patch_file', 'run_command', 'list_files'];
const arbiter = [
  json({
    action: 'consult',
    specialist: 'coder',
    instruction: 'Write src/add.js and check it.',
    acceptance: 'prints 3',
  }),
  json({ action: 'review', review: { verdict: 'approve' } }),
  json({ action: 'finish', result: 'add works' }),
];
const call = (name: string, args: Record<string, unknown>): ResponderOutput => ({
  content: '',
  toolCalls: [{ name, arguments: args }],
});
const coder = [
  call('write_file', { path: 'src/add.js', content: 'exports.add = (a, b) => a - b;\n' }),
  call('patch_file', { path: 'src/add.js', search: 'a * b', replace: 'a + b' }),
  call('patch_file', { path: 'src/add.js', search: 'a - b', replace: 'a + b' }),
  call('run_command', { command: 'node -e "console.log(require(\'./src/add.js\').add(1, 2))"' }),
  'src/add.js adds; node prints 3.',
];

describe('engine with the real application tools', () => {
  it('executes the coder’s calls in the workspace and shows it every result, errors included', async () => {
    t = tempWorkspace();
    const seen: ResponderInput[] = [];
    h = await gatewayHarness({
      fleet: engineFleet(),
      responder: (input) => {
        if (input.format !== undefined) {
          const n = seen.filter((s) => s.format !== undefined).length;
          seen.push(input);
          return { content: arbiter[Math.min(n, arbiter.length - 1)]! };
        }
        const n = seen.filter((s) => s.format === undefined).length;
        seen.push(input);
        const reply = coder[Math.min(n, coder.length - 1)]!;
        return typeof reply === 'string' ? { content: reply } : reply;
      },
    });
    // the clock must not run while a tool does real I/O (a child process takes real time): the
    // virtual hour the harness allows could pass meanwhile and leave the engine's next call waiting
    let busy = 0;
    const held = toolsFor(TOOLS, t.dir, 'run1', { env: t.ctx.env }).map((tool) => ({
      ...tool,
      execute: async (input: never, context: Parameters<typeof tool.execute>[1]) => {
        busy++;
        try {
          return await tool.execute(input, context);
        } finally {
          busy--;
        }
      },
    }));
    const until = async <T>(p: Promise<T>): Promise<T> => {
      let settled = false;
      const watched = p.finally(() => (settled = true));
      watched.catch(() => {});
      for (let v = 0; !settled && v < 3_600_000;) {
        if (busy > 0) {
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        await h!.clock.advance(500);
        v += 500;
      }
      return watched;
    };
    const log = new MemoryLog();
    const spec = agentSpec({
      specialists: SPECIALISTS.map((s) => (s.name === 'coder' ? { ...s, tools: TOOLS } : s)),
    });
    const outcome = await until(
      runAgent(spec, {
        log,
        models: { baseURL: `${BASE}/v1`, fetch: h.fetch },
        tools: held,
        clock: h.clock,
        ids: sequentialIds(),
      }),
    );
    expect(outcome).toMatchObject({ status: 'succeeded', result: 'add works', filesChanged: ['src/add.js'] });
    expect(readFileSync(join(t.dir, 'src/add.js'), 'utf8')).toBe('exports.add = (a, b) => a + b;\n');
    const effects = log.list.filter((e) => e.type === 'tool_effect');
    expect(effects.map((e) => [e.tool, e.result.ok])).toEqual([
      ['write_file', true],
      ['patch_file', false],
      ['patch_file', true],
      ['run_command', true],
    ]);
    const coderInputs = seen.filter((s) => s.format === undefined);
    const toolText = (i: number) =>
      coderInputs[i]!.messages.filter((m) => m.role === 'tool')
        .map((m) => m.content)
        .join('\n');
    expect(toolText(2)).toMatch(/patch_failed.*its line "a \* b" is not in the file/);
    expect(toolText(4)).toMatch(/exit code 0 .*\n3\n/);
  });
});
