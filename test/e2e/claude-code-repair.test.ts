// Claude Code itself (`claude -p`, the pinned @anthropic-ai/claude-code devDependency) against
// `orchestra serve` on a socket, in front of an emulated local model that writes its tool calls as
// text (<tool_call>{"name":"Write",...}</tool_call>) and answers once it sees the tool's result.
// With repair on, Claude Code gets a tool_use block, runs Write, and the file exists; with repair
// off it gets the text and writes nothing. No internet: telemetry, updates and nonessential
// traffic are off, and every model Claude Code may ask for (main, haiku side requests) is an alias.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayServer, type RunningGateway } from '../../src/app.ts';
import { startEmulatedFleet, type EmulatedFleet } from '../../src/emulator/emulated-fleet.ts';
import type { Responder } from '../../src/emulator/responders/responder.ts';
import { FleetSchema } from '../../src/config/index.ts';

const CLAUDE = resolve(import.meta.dirname, '../../node_modules/.bin/claude');
const CONTENT = 'hello from orchestra\n';

/** why Claude Code cannot run here, or undefined when it can */
function unavailable(): string | undefined {
  if (!existsSync(CLAUDE))
    return `${CLAUDE} is missing: run npm install (devDependency @anthropic-ai/claude-code)`;
  const v = spawnSync(CLAUDE, ['--version'], { encoding: 'utf8', timeout: 30_000 });
  if (v.status !== 0) return `claude --version failed: ${v.stderr || v.error?.message || v.status}`;
  return undefined;
}
const skip = unavailable();
if (skip) console.warn(`Claude Code test skipped: ${skip}`);

const dir = mkdtempSync(join(tmpdir(), 'orchestra-claude-'));
const requests: { tools: readonly string[]; roles: string[] }[] = [];

/** a local model that calls Write as text when asked for a file, then answers from the result */
const responder: Responder = (input) => {
  requests.push({ tools: input.tools, roles: input.messages.map((m) => m.role) });
  const last = input.messages.filter((m) => m.role !== 'system').at(-1);
  if (last?.role === 'tool') return { content: 'Done: the file is written.' };
  const task = /Create the file (\S+)/.exec(last?.content ?? '');
  if (task && input.tools.includes('Write')) {
    const call = { name: 'Write', arguments: { file_path: join(dir, 'ws', task[1]!), content: CONTENT } };
    return { content: `I'll create it.\n<tool_call>\n${JSON.stringify(call)}\n</tool_call>` };
  }
  return { content: 'ok' }; // side requests (titles, quota checks)
};

let fleet: EmulatedFleet;
let gw: RunningGateway;

beforeAll(async () => {
  if (skip) return;
  const model = {
    name: 'qwen2.5-coder:7b',
    paramsB: 7,
    memoryGiB: 4.4,
    contextTokens: 65536,
    loadSeconds: 2,
  };
  const emulated = FleetSchema.parse({
    servers: [{ name: 'mini', url: 'http://127.0.0.1:1', memoryGiB: 21.3 }],
    models: [{ ...model, servers: ['mini'] }],
  });
  fleet = await startEmulatedFleet(emulated, {
    timeScale: 0.001,
    host: '127.0.0.1',
    ports: { mini: 0 },
    responder,
  });
  const config = join(dir, 'fleet.yaml');
  writeFileSync(
    config,
    `servers:
  - { name: mini, url: "${fleet.servers[0]!.url}", memoryGiB: 21.3 }
models:
  - { name: "${model.name}", paramsB: 7, memoryGiB: 4.4, contextTokens: 65536, loadSeconds: 2, servers: [mini] }
aliases:
  local-coder: ["${model.name}"]
  local-raw: { models: ["${model.name}"], tool_calls: { repair: off } }
gateway:
  storePath: "${join(dir, 'usage.sqlite')}"
`,
  );
  gw = await startGatewayServer({ configFile: config, port: 0, env: {}, log: () => {} });
}, 60_000);

afterAll(async () => {
  await gw?.close();
  await fleet?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `claude -p PROMPT` in the workspace against the gateway; its JSON result */
async function claude(
  prompt: string,
  model: string,
): Promise<{ code: number | null; result: string; stderr: string }> {
  const home = join(dir, `home-${model}`);
  mkdirSync(home, { recursive: true });
  mkdirSync(join(dir, 'ws'), { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ANTHROPIC_BASE_URL: gw.url,
    ANTHROPIC_API_KEY: 'dummy-key-for-the-gateway',
    DISABLE_TELEMETRY: '1',
    DISABLE_AUTOUPDATER: '1',
    DISABLE_ERROR_REPORTING: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    ANTHROPIC_DEFAULT_HAIKU_MODEL: model,
    ANTHROPIC_DEFAULT_SONNET_MODEL: model,
    ANTHROPIC_DEFAULT_OPUS_MODEL: model,
    ANTHROPIC_SMALL_FAST_MODEL: model,
  };
  // --allowedTools rather than bypassPermissions: Claude Code refuses the latter as root
  const args = ['-p', prompt, '--model', model, '--allowedTools', 'Write', '--output-format', 'json'];
  const child = spawn(CLAUDE, args, { cwd: join(dir, 'ws'), env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 100_000);
  const code = await new Promise<number | null>((r) => child.on('exit', r));
  clearTimeout(timer);
  let result = out;
  try {
    const parsed = (JSON.parse(out) as { result?: unknown }).result;
    if (typeof parsed === 'string') result = parsed;
  } catch {
    // not JSON: the raw output is the result
  }
  return { code, result, stderr };
}

describe.skipIf(skip !== undefined)(
  'Claude Code through the gateway, local model writing calls as text',
  () => {
    it('completes a file-writing task: the file exists with the right content', async () => {
      const r = await claude('Create the file hello.txt containing "hello from orchestra".', 'local-coder');
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(join(dir, 'ws', 'hello.txt'), 'utf8')).toBe(CONTENT);
      expect(r.result).toContain('the file is written');
      // the model saw Claude Code's tools and, on the second turn, the tool's result
      expect(requests.some((q) => q.tools.includes('Write') && q.roles.includes('tool'))).toBe(true);
    }, 120_000);

    it('with repair off, Claude Code gets the text and writes nothing', async () => {
      const r = await claude('Create the file untouched.txt containing "hello from orchestra".', 'local-raw');
      expect(r.code, r.stderr).toBe(0);
      expect(existsSync(join(dir, 'ws', 'untouched.txt'))).toBe(false);
      expect(r.result).toContain('<tool_call>');
    }, 120_000);
  },
);
