// Tool-call repair through `orchestra serve` on a socket, in front of emulated Ollama servers on
// sockets whose model writes its calls as text: the official clients over HTTP get native calls.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGatewayServer, type RunningGateway } from '../../src/app.ts';
import { usageCommand } from '../../src/cli/commands/usage.ts';
import { startEmulatedFleet, type EmulatedFleet } from '../../src/emulator/emulated-fleet.ts';
import type { Responder } from '../../src/emulator/responders/responder.ts';
import { ask, CLIENTS, TOOL_FINISH, WRITE } from './client-answers.ts';
import { e2eFleet } from './gateway-harness.ts';

const ARGS = { path: 'notes/todo.md', content: '# Todo\n- ship it\n' };
const json = JSON.stringify({ name: 'write_file', arguments: ARGS });
const FORMS: Record<string, string> = {
  tags: `Writing it now.\n<tool_call>\n${json}\n</tool_call>`,
  fenced: `Writing it now.\n\`\`\`json\n${json}\n\`\`\``,
  python: `Writing it now.\nwrite_file(path='notes/todo.md', content="""# Todo\n- ship it\n""")`,
};

/** the prompt names the form the model writes its call in */
const responder: Responder = (input) => {
  const last = input.messages.at(-1)?.content ?? '';
  return { content: FORMS[last] ?? 'A plain answer, no call.' };
};

const dir = mkdtempSync(join(tmpdir(), 'orchestra-repair-'));
const config = join(dir, 'fleet.yaml');
let fleet: EmulatedFleet;
let gw: RunningGateway;

beforeAll(async () => {
  fleet = await startEmulatedFleet(e2eFleet(), {
    timeScale: 0.001,
    host: '127.0.0.1',
    ports: { alpha: 0, beta: 0 },
    responder,
  });
  const url = (name: string) => fleet.servers.find((s) => s.name === name)!.url;
  writeFileSync(
    config,
    `servers:
  - { name: alpha, url: "${url('alpha')}", memoryGiB: 21.3 }
  - { name: beta, url: "${url('beta')}", memoryGiB: 21.3 }
models:
  - { name: "qwen2.5-coder:32b", paramsB: 32, memoryGiB: 18.5, servers: [alpha], loadSeconds: 30 }
  - { name: "qwen2.5:7b", paramsB: 7, memoryGiB: 4.4, servers: [beta], loadSeconds: 8, tool_calls: { repair: off } }
aliases:
  coder: ["qwen2.5-coder:32b"]
  raw: { models: ["qwen2.5-coder:32b"], tool_calls: { repair: off } }
gateway:
  storePath: "${join(dir, 'usage.sqlite')}"
`,
  );
  gw = await startGatewayServer({ configFile: config, port: 0, env: {}, log: () => {} });
});

afterAll(async () => {
  await gw?.close();
  await fleet?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('orchestra serve: tool calls written as text', () => {
  for (const client of CLIENTS)
    for (const stream of [false, true])
      it(`${client} (stream: ${stream}) gets native calls from every form, and text with repair off`, async () => {
        for (const form of Object.keys(FORMS)) {
          const a = await ask(client, gw.url, fetch, {
            model: 'coder',
            prompt: form,
            tools: [WRITE],
            stream,
          });
          expect(a.calls, form).toEqual([{ name: 'write_file', arguments: ARGS }]);
          expect(a.finish).toBe(TOOL_FINISH[client]);
          expect(a.text.trim()).toBe('Writing it now.');
        }
        const off = await ask(client, gw.url, fetch, {
          model: 'raw',
          prompt: 'tags',
          tools: [WRITE],
          stream,
        });
        expect(off).toMatchObject({ calls: [], text: FORMS.tags });
        const plain = await ask(client, gw.url, fetch, {
          model: 'qwen2.5-coder:32b',
          prompt: 'hi',
          tools: [WRITE],
          stream,
        });
        expect(plain).toMatchObject({ calls: [], text: 'A plain answer, no call.' });
      });

  it('orchestra usage counts the calls per model by how they came about', async () => {
    // a streamed answer's row is written just after its last byte left: polled, as nothing here can await it
    const coder = await vi.waitFor(async () => {
      const out: string[] = [];
      expect(
        await usageCommand.run(['--config', config, '--by', 'model', '--json'], {
          out: (l) => out.push(l),
          err: () => {},
        }),
      ).toBe(0);
      const rows = (
        JSON.parse(out.join('\n')) as {
          rows: { key: string; toolReplies: number; calls: Record<string, number> }[];
        }
      ).rows;
      const row = rows.find((r) => r.key === 'qwen2.5-coder:32b')!;
      // 6 runs of 3 forms with repair on, 6 plain answers with tools offered; the repair-off alias's replies are not looked at
      expect(row.toolReplies).toBe(24);
      return row;
    });
    const calls = coder.calls;
    expect(calls.salvaged! + calls.repaired! + calls.coerced!).toBe(18);
    expect(calls.lost).toBe(0);
  });
});
