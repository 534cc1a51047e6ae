import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openUsageStore } from '../../store/index.ts';
import { UsageError } from '../command.ts';
import { usageCommand } from './usage.ts';

const dir = mkdtempSync(join(tmpdir(), 'orch-usage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  return { out, io: { out: (l: string) => out.push(l), err: () => {} } };
}

describe('orchestra usage', () => {
  const store = join(dir, 'u.sqlite');
  const file = join(dir, 'fleet.yaml');
  writeFileSync(
    file,
    `servers:
  - {name: s, url: "http://127.0.0.1:1"}
  - {name: a, url: "https://api.anthropic.com", kind: anthropic, apiKeyEnv: ANTHROPIC_API_KEY}
models:
  - {name: m, memoryGiB: 1, servers: [s]}
  - {name: sonnet, servers: [a], price: {inputPerMTok: 3, outputPerMTok: 15}}
savingsBaseline: sonnet
gateway: {storePath: ${JSON.stringify(store)}}
`,
  );
  const s = openUsageStore(store);
  const row = {
    timeMs: Date.now(),
    requestId: 'r',
    api: 'openai' as const,
    model: 'm',
    local: true,
    agent: 'a1',
    inputTokens: 1_000_000,
    outputTokens: 100_000,
    queueMs: 0,
    loadMs: 2000,
    prefillMs: 1000,
    decodeMs: 3000,
    totalMs: 6000,
    attempts: 1,
    fallbackUsed: false,
    status: 200,
  };
  s.record(row);
  s.record({ ...row, requestId: 'r2', agent: 'a2', timeMs: Date.now() - 3 * 86_400_000 });
  s.close();

  it('prints totals with savings at the baseline price', async () => {
    const o = io();
    expect(await usageCommand.run(['--config', file, '--json'], o.io)).toBe(0);
    const doc = JSON.parse(o.out.join('\n')) as {
      rows: Array<{ requests: number; dollarsSaved: number; localGpuMs: number }>;
    };
    expect(doc.rows[0]).toMatchObject({ requests: 2, dollarsSaved: 9, localGpuMs: 12000 });
  });

  it('groups by agent and filters by --since in a table', async () => {
    const o = io();
    await usageCommand.run(['--config', file, '--since', '24h', '--by', 'agent'], o.io);
    expect(o.out[0]).toMatch(/^agent\s+requests/);
    expect(o.out[1]).toMatch(/^a1\s+1\s+0\s+0\s+1000000\s+100000\s+1000000\s+100000\s+6\.0\s+4\.5000$/);
    expect(o.out).toHaveLength(3);
  });

  it('reads a relative storePath next to the config file, not in the working directory', async () => {
    // `orchestra serve --config DIR/fleet.yaml` from a service manager and `orchestra usage` from a
    // shell run in different directories: both must find the same store
    const nested = join(dir, 'nested');
    mkdirSync(nested);
    const relFile = join(nested, 'fleet.yaml');
    writeFileSync(
      relFile,
      `servers: [{name: s, url: "http://127.0.0.1:1"}]
models: [{name: m, memoryGiB: 1, servers: [s]}]
gateway: {storePath: usage-next-to-config.sqlite}
`,
    );
    const s = openUsageStore(join(nested, 'usage-next-to-config.sqlite'));
    s.record({ ...row, requestId: 'r3' });
    s.close();
    const o = io();
    await usageCommand.run(['--config', relFile, '--json'], o.io);
    expect(JSON.parse(o.out.join('\n'))).toMatchObject({ rows: [{ requests: 1 }] });
  });

  it('counts tool calls per model by how they came about', async () => {
    const toolFile = join(dir, 'tools.yaml');
    const toolStore = join(dir, 'tools.sqlite');
    writeFileSync(
      toolFile,
      `servers: [{name: s, url: "http://127.0.0.1:1"}]
models: [{name: m, memoryGiB: 1, servers: [s]}, {name: n, memoryGiB: 1, servers: [s]}]
gateway: {storePath: ${JSON.stringify(toolStore)}}
`,
    );
    const t = openUsageStore(toolStore);
    t.record({
      ...row,
      requestId: 't1',
      toolCalls: { verdict: 'calls', rung: 2, counts: { salvaged: 2, native: 1 } },
    });
    t.record({ ...row, requestId: 't2', toolCalls: { verdict: 'unknown_tool', counts: { lost: 1 } } });
    t.record({ ...row, requestId: 't3', model: 'n', toolCalls: { verdict: 'no_call', counts: {} } });
    t.record({ ...row, requestId: 't4', model: 'n' });
    t.close();
    const o = io();
    await usageCommand.run(['--config', toolFile, '--by', 'model'], o.io);
    const at = o.out.findIndex((l) => l.startsWith('tool calls'));
    expect(o.out[at + 1]).toMatch(
      /^model\s+replies\s+native\s+salvaged\s+repaired\s+coerced\s+interpreted\s+reasked\s+lost$/,
    );
    expect(o.out[at + 2]).toMatch(/^m\s+2\s+1\s+2\s+0\s+0\s+0\s+0\s+1$/);
    expect(o.out[at + 3]).toMatch(/^n\s+1(\s+0){7}$/);
    const j = io();
    await usageCommand.run(['--config', toolFile, '--by', 'model', '--json'], j.io);
    expect(JSON.parse(j.out.join('\n'))).toMatchObject({
      rows: [
        { key: 'm', toolReplies: 2, calls: { native: 1, salvaged: 2, lost: 1 } },
        { key: 'n', toolReplies: 1 },
      ],
    });
  });

  it('rejects bad flags with usage errors', async () => {
    await expect(usageCommand.run(['--by', 'planet'], io().io)).rejects.toBeInstanceOf(UsageError);
    await expect(usageCommand.run(['--since', 'yesterday'], io().io)).rejects.toBeInstanceOf(UsageError);
  });
});
