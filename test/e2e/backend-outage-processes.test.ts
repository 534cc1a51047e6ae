// An emulated Ollama server (`orchestra emulate`, its own process) is killed with requests queued
// in the gateway (`orchestra serve`, another process), then started again on the same port: the
// gateway uses it again within about one health interval, and while it is down its errors name
// every step of the alias chain and why each was skipped.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startCli, type CliProcess } from './cli-process.ts';

const dir = mkdtempSync(join(tmpdir(), 'orchestra-outage-'));
const config = join(dir, 'fleet.yaml');
let emulator: CliProcess;
let gateway: CliProcess;
let url: string;

const ask = async (maxTokens = 4): Promise<{ status: number; message?: string }> => {
  const r = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'claude-3-haiku',
      max_tokens: maxTokens,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  const body = (await r.json()) as { error?: { message: string } };
  return { status: r.status, message: body.error?.message };
};

const startEmulator = async (): Promise<CliProcess> => {
  const p = startCli(['emulate', '--config', config]);
  await p.waitFor(/Ctrl-C stops/);
  return p;
};

beforeAll(async () => {
  const port = await freePort();
  writeFileSync(
    config,
    `servers:
  - { name: mac-mini, url: "http://127.0.0.1:${port}", memoryGiB: 21.3, parallel: 1, resident: [qwen-fast] }
  - { name: anthropic, url: "https://api.anthropic.com", kind: anthropic, apiKeyEnv: ORCHESTRA_TEST_UNSET_KEY }
models:
  - { name: qwen-fast, paramsB: 7, memoryGiB: 4.4, servers: [mac-mini], loadSeconds: 0.1, decodeTokensPerSecond: 20 }
  - { name: claude-haiku, upstreamName: claude-haiku-4-5, servers: [anthropic], contextTokens: 200000 }
aliases:
  claude-3-haiku: [qwen-fast, claude-haiku]
gateway:
  storePath: "${join(dir, 'usage.sqlite')}"
  health: { intervalSeconds: 1 }
`,
  );
  emulator = await startEmulator();
  gateway = startCli(['serve', '--config', config, '--port', '0'], { ORCHESTRA_MASTER_KEY: '' });
  url = (await gateway.waitFor(/orchestra gateway on /)).match(/http:\/\/\S+/)![0];
}, 60_000);

afterAll(async () => {
  await gateway?.kill();
  await emulator?.kill();
  rmSync(dir, { recursive: true, force: true });
});

describe('a backend process that is killed and restarted', () => {
  it('is used again within about one health interval of coming back, and the outage is named', async () => {
    expect((await ask()).status).toBe(200);
    // five answers of 40 tokens at 20 tok/s on one slot: one runs, four wait in the scheduler
    const queued = Array.from({ length: 5 }, () => ask(40));
    await new Promise((r) => setTimeout(r, 700));
    await emulator.kill('SIGKILL');
    const outcomes = await Promise.all(queued);
    expect(outcomes.every((o) => o.status === 503 || o.status === 502)).toBe(true);

    const during = await ask();
    expect(during.status).toBe(503);
    expect(during.message).toMatch(
      /^qwen-fast: mac-mini down since \d\d:\d\d:\d\d UTC \(.+\), next check in [01] s; claude-haiku: anthropic is disabled: environment variable ORCHESTRA_TEST_UNSET_KEY is not set$/,
    );

    emulator = await startEmulator();
    const back = performance.now();
    let answer = await ask();
    while (answer.status !== 200 && performance.now() - back < 30_000) {
      await new Promise((r) => setTimeout(r, 100));
      answer = await ask();
    }
    const recoveryMs = performance.now() - back;
    console.log(`used again ${Math.round(recoveryMs)} ms after the emulator listened (health interval 1 s)`);
    expect(answer.status).toBe(200);
    // before: the failures put the model in gateway.cooldown (60 s); now one probe interval, plus
    // the time a loaded machine takes to run the probe and the request
    expect(recoveryMs).toBeLessThan(10_000);
  }, 90_000);
});
