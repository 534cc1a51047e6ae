// `orchestra serve` (its own process) answers N requests, streamed and not, on every face, and is
// killed with SIGKILL the instant the last answer is read: `orchestra usage` (another process)
// then counts N. Before, rows went to the store after the answer, off the request path, and a
// kill lost the last ones (48, 50 and 39 of 50 in three tries).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCli, type CliProcess } from './cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'orchestra-kill-'));
const config = join(dir, 'fleet.yaml');
let emulator: CliProcess;

beforeAll(async () => {
  const port = await freePort();
  writeFileSync(
    config,
    `servers:
  - { name: box, url: "http://127.0.0.1:${port}", memoryGiB: 21.3, parallel: 8, resident: [qwen-fast] }
models:
  - { name: qwen-fast, paramsB: 7, memoryGiB: 4.4, servers: [box], loadSeconds: 0.1, decodeTokensPerSecond: 2000 }
aliases:
  claude-3-haiku: [qwen-fast]
gateway:
  storePath: "${join(dir, 'usage.sqlite')}"
`,
  );
  emulator = startCli(['emulate', '--config', config]);
  await emulator.waitFor(/Ctrl-C stops/);
}, 60_000);

afterAll(async () => {
  await emulator?.kill();
  rmSync(dir, { recursive: true, force: true });
});

/** one request of the i-th kind, read to its end; its HTTP status */
async function ask(url: string, i: number): Promise<number> {
  const stream = i % 2 === 0;
  const messages = [{ role: 'user', content: `question ${i}` }];
  const [path, body] = [
    ['/v1/chat/completions', { model: 'claude-3-haiku', max_tokens: 8, stream, messages }],
    ['/v1/messages', { model: 'claude-3-haiku', max_tokens: 8, stream, messages }],
    ['/api/chat', { model: 'claude-3-haiku', stream, messages, options: { num_predict: 8 } }],
  ][i % 3]! as [string, unknown];
  const r = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
    body: JSON.stringify(body),
  });
  await r.arrayBuffer();
  return r.status;
}

async function usageCount(): Promise<number> {
  const p = startCli(['usage', '--config', config, '--json']);
  await new Promise<void>((resolve) => p.proc.once('exit', () => resolve()));
  const doc = JSON.parse(p.output()) as { rows: Array<{ requests: number }> };
  return doc.rows.reduce((n, r) => n + r.requests, 0);
}

describe('usage rows when the gateway is killed', () => {
  it.each([50, 30])(
    'kill -9 right after %i answered requests leaves as many rows',
    async (n) => {
      const before = await usageCount();
      const gateway = startCli(['serve', '--config', config, '--port', '0'], { ORCHESTRA_MASTER_KEY: '' });
      const url = (await gateway.waitFor(/orchestra gateway on /)).match(/http:\/\/\S+/)![0];
      const statuses: number[] = [];
      let next = 0;
      await Promise.all(
        Array.from({ length: 5 }, async () => {
          while (next < n) statuses.push(await ask(url, next++));
        }),
      );
      await gateway.kill('SIGKILL');
      expect(statuses).toEqual(Array.from({ length: n }, () => 200));
      const counted = (await usageCount()) - before;
      console.log(`${n} answered, SIGKILL, ${counted} counted by orchestra usage`);
      expect(counted).toBe(n);
    },
    60_000,
  );
});
