import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../command.ts';
import { runEmulate } from './emulate.ts';

const dir = mkdtempSync(join(tmpdir(), 'orch-emulate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FLEET = `servers:
  - { name: box, url: "http://127.0.0.1:0", memoryGiB: 16 }
models:
  - { name: small, memoryGiB: 2, paramsB: 3, servers: [box] }
`;

function io() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) } };
}

describe('orchestra emulate', () => {
  it('serves each ollama server, prints what it serves, and stops when told', async () => {
    const file = join(dir, 'fleet.yaml');
    writeFileSync(file, FLEET);
    const o = io();
    const stop = new AbortController();
    const script = join(dir, 'script.yaml');
    writeFileSync(script, 'rules:\n  - match: "^ping$"\n    text: pong\n');
    const running = runEmulate(
      ['--config', file, '--time-scale', '0.001', '--faults', '{"slowFirstTokenMs": 5}', '--script', script],
      o.io,
      stop.signal,
    );
    let url: string | undefined;
    for (let i = 0; i < 20_000 && !url; i++) {
      await new Promise((r) => setImmediate(r));
      url = /at (http:\/\/\S+):/.exec(o.out.join('\n'))?.[1];
    }
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const tags = (await (await fetch(`${url}/api/tags`)).json()) as { models: Array<{ name: string }> };
    expect(tags.models.map((m) => m.name)).toEqual(['small:latest']);
    expect(await (await fetch(`${url}/admin/faults`)).json()).toEqual({ slowFirstTokenMs: 5 });
    const chat = await fetch(`${url}/api/chat`, {
      method: 'POST',
      body: JSON.stringify({ model: 'small', messages: [{ role: 'user', content: 'ping' }], stream: false }),
    });
    expect(((await chat.json()) as { message: { content: string } }).message.content).toBe('pong');
    expect(o.out.join('\n')).toMatch(/small: 2\.\d GiB at 8192 tokens, load [\d.]+ s/);
    stop.abort();
    expect(await running).toBe(0);
    expect(o.out.at(-1)).toBe('emulators stopped');
    await expect(fetch(`${url}/api/tags`)).rejects.toThrow();
  });

  it("answers from the fleet config's scripts on a socket, --script rules first", async () => {
    const file = join(dir, 'scripted.yaml');
    const model = [
      '  - name: small',
      '    memoryGiB: 2',
      '    paramsB: 3',
      '    servers: [box]',
      '    emulator:',
      '      toolCallForms: { python: 1 }',
    ].join('\n');
    const rules = [
      'emulator:',
      '  rules:',
      '    - agent: implementer',
      '      user: "create (\\\\S+)"',
      '      toolCalls:',
      '        - name: write_file',
      '          arguments:',
      '            path: $1',
      '            content: |',
      '              line one',
      '              line "two"',
      '    - { user: "^ping$", text: "pong from the fleet" }',
      '',
    ].join('\n');
    writeFileSync(
      file,
      FLEET.replace('  - { name: small, memoryGiB: 2, paramsB: 3, servers: [box] }', model) + rules,
    );
    const script = join(dir, 'first.yaml');
    writeFileSync(script, 'rules:\n  - { user: "^ping$", text: "pong from --script" }\n');
    const o = io();
    const stop = new AbortController();
    const running = runEmulate(
      ['--config', file, '--time-scale', '0.001', '--script', script],
      o.io,
      stop.signal,
    );
    let url: string | undefined;
    for (let i = 0; i < 20_000 && !url; i++) {
      await new Promise((r) => setImmediate(r));
      url = /at (http:\/\/\S+):/.exec(o.out.join('\n'))?.[1];
    }
    const ask = async (content: string, headers: Record<string, string> = {}): Promise<string> => {
      const res = await fetch(`${url}/api/chat`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ model: 'small', messages: [{ role: 'user', content }], stream: false }),
      });
      return ((await res.json()) as { message: { content: string } }).message.content;
    };
    expect(await ask('create notes.md', { 'x-orchestra-agent': 'implementer' })).toBe(
      'write_file(path="notes.md", content="""line one\nline "two"\n""")',
    );
    expect(await ask('create notes.md')).not.toMatch(/write_file/);
    expect(await ask('ping')).toBe('pong from --script');
    expect(o.out).toContain('scripted replies: 1 rules from --script, 0 of models, 2 of the fleet');
    expect(o.out).toContain('tool-call form rates for small');
    stop.abort();
    expect(await running).toBe(0);
  });

  it('refuses bad flags with a usage error', async () => {
    const file = join(dir, 'fleet.yaml');
    writeFileSync(file, FLEET);
    const never = new AbortController().signal;
    await expect(runEmulate([], io().io, never)).rejects.toBeInstanceOf(UsageError);
    await expect(runEmulate(['--config', file, '--time-scale', '0'], io().io, never)).rejects.toThrow(
      /time-scale/,
    );
    await expect(
      runEmulate(['--config', file, '--faults', '{"down": "yes"}'], io().io, never),
    ).rejects.toThrow(/--faults: down/);
  });
});
