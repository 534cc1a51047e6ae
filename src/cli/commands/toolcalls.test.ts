import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../main.ts';
import { UsageError } from '../command.ts';
import { makeToolcallsCommand } from './toolcalls.ts';

const dir = mkdtempSync(join(tmpdir(), 'orch-toolcalls-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'write_file',
      parameters: {
        type: 'object',
        properties: { path: { type: 'string' }, content: { type: 'string' } },
        required: ['path', 'content'],
      },
    },
  },
];
const toolsFile = join(dir, 'tools.json');
writeFileSync(toolsFile, JSON.stringify(TOOLS));

function run(argv: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const cmd = makeToolcallsCommand({ readStdin: () => Promise.resolve(stdin) });
  return cmd
    .run(argv, { out: (l) => out.push(l), err: (l) => err.push(l) })
    .then((code) => ({ code, out, err }));
}

describe('orchestra toolcalls repair', () => {
  const reply = 'Writing it.\nwrite_file(path="a.txt", content="""hi\n""")';

  it('prints the calls of one reply read from stdin', async () => {
    const r = await run(['repair', '--tools', toolsFile], reply);
    expect(r.code).toBe(0);
    expect(r.out).toEqual([
      'verdict: calls',
      'call write_file {"path":"a.txt","content":"hi\\n"}  (rung 2 salvaged, python)',
      'text: Writing it.',
    ]);
  });

  it('--json prints the whole result', async () => {
    const r = await run(['repair', '--tools', toolsFile, '--json'], reply);
    expect(JSON.parse(r.out.join(''))).toEqual({
      verdict: 'calls',
      calls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'hi\n' }, rung: 2, form: 'python' }],
      text: 'Writing it.',
      problems: [],
    });
    const none = await run(['repair', '--json'], 'The answer is 4.');
    expect(JSON.parse(none.out.join(''))).toMatchObject({ verdict: 'no_call', calls: [] });
  });

  it('--jsonl: one output line per input line, a bad line named on stderr, the run goes on', async () => {
    const file = join(dir, 'replies.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({
          id: 'a',
          raw: '<tool_call>{"name": "write_file", "arguments": {"path": "x", "content": "y"}}</tool_call>',
          tools: TOOLS,
        }),
        '{"id": "b", "raw": ',
        '',
        JSON.stringify({ id: 'c', raw: '{"name": "anything", "arguments": {"n": 1}}', tools: null }),
        JSON.stringify({ id: 'd', raw: 'No tool needed.', tools: TOOLS }),
      ].join('\n'),
    );
    const r = await run(['repair', '--jsonl', file]);
    expect(r.code).toBe(1);
    expect(r.out.map((l) => JSON.parse(l) as unknown)).toEqual([
      {
        id: 'a',
        verdict: 'calls',
        calls: [{ name: 'write_file', arguments: { path: 'x', content: 'y' } }],
        rungs: [2],
      },
      { id: 'c', verdict: 'calls', calls: [{ name: 'anything', arguments: { n: 1 } }], rungs: [2] },
      { id: 'd', verdict: 'no_call', calls: [], rungs: [] },
    ]);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2: not JSON`));
  });

  it('reads the project corpus as JSONL input', async () => {
    const corpus = new URL('../../../test/fixtures/toolcalls/corpus.jsonl', import.meta.url).pathname;
    const r = await run(['repair', '--jsonl', corpus]);
    expect(r.code).toBe(0);
    expect(r.out.length).toBeGreaterThanOrEqual(60);
  });

  it('rejects bad usage and bad tools files with a clear message', async () => {
    await expect(run(['fix'])).rejects.toThrow(UsageError);
    await expect(run(['repair', '--jsonl', 'x', '--tools', toolsFile])).rejects.toThrow(
      '--tools does not apply to --jsonl',
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '[{"type": "function", "function": {"parameters": {}}}]');
    await expect(run(['repair', '--tools', bad], 'x')).rejects.toThrow(
      `${bad}: tools[0].function.name: expected a non-empty string, found undefined`,
    );
    writeFileSync(bad, '{"nope": 1}');
    await expect(run(['repair', '--tools', bad], 'x')).rejects.toThrow('expected a JSON array of tools');
    await expect(run(['repair', '--tools', join(dir, 'missing.json')], 'x')).rejects.toThrow('cannot read');
  });

  it('is registered in the bin', async () => {
    const out: string[] = [];
    expect(await main(['toolcalls', '--help'], { out: (l) => out.push(l), err: () => {} })).toBe(0);
    expect(out.join('\n')).toContain('orchestra toolcalls repair --jsonl FILE');
  });
});
