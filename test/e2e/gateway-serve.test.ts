// `orchestra serve` for real: startGatewayServer on a socket (port 0) in front of emulated Ollama
// servers on sockets (scaled time: a 30 s load takes 30 ms), the official clients over HTTP, then
// `orchestra usage` reading the same store.
import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGatewayServer, type RunningGateway } from '../../src/app.ts';
import { usageCommand } from '../../src/cli/commands/usage.ts';
import { startEmulatedFleet, type EmulatedFleet } from '../../src/emulator/emulated-fleet.ts';
import { e2eFleet } from './gateway-harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'orchestra-serve-'));
const config = join(dir, 'fleet.yaml');
const logs: string[] = [];
let fleet: EmulatedFleet;
let gw: RunningGateway;

beforeAll(async () => {
  fleet = await startEmulatedFleet(e2eFleet(), {
    timeScale: 0.001,
    host: '127.0.0.1',
    ports: { alpha: 0, beta: 0 },
  });
  const url = (name: string) => fleet.servers.find((s) => s.name === name)!.url;
  writeFileSync(
    config,
    `# test fleet
servers:
  - { name: alpha, url: "${url('alpha')}", memoryGiB: 21.3 }
  - { name: beta, url: "${url('beta')}", memoryGiB: 21.3 }
  - { name: anthropic, url: "https://api.anthropic.com", kind: anthropic, apiKeyEnv: TEST_ANTHROPIC_KEY }
models:
  - { name: "qwen2.5-coder:32b", paramsB: 32, memoryGiB: 18.5, servers: [alpha], loadSeconds: 30 }
  - { name: "qwen2.5:7b", paramsB: 7, memoryGiB: 4.4, servers: [beta], loadSeconds: 8 }
  - { name: claude-sonnet, upstreamName: claude-sonnet-4-5, servers: [anthropic], contextTokens: 200000, price: { inputPerMTok: 3, outputPerMTok: 15 } }
aliases:
  claude-3-5-sonnet: ["qwen2.5-coder:32b", "qwen2.5:7b", claude-sonnet]
gateway:
  storePath: "${join(dir, 'usage.sqlite')}"
`,
  );
  gw = await startGatewayServer({
    configFile: config,
    port: 0,
    env: { ORCHESTRA_MASTER_KEY: 'master-key-1' },
    log: (l) => logs.push(l),
  });
});

afterAll(async () => {
  await gw?.close();
  await fleet?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('orchestra serve on a socket', () => {
  it('warns about the cloud server without a key and never logs the master key', () => {
    expect(gw.warnings).toEqual([
      expect.stringContaining(
        'anthropic (anthropic) is disabled: environment variable TEST_ANTHROPIC_KEY is not set',
      ),
    ]);
    expect(logs.some((l) => l.includes('gateway listening'))).toBe(true);
    expect(logs.join('\n')).not.toContain('master-key-1');
  });

  it('serves the official clients over HTTP, with health, readiness and metrics', async () => {
    const openai = new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: 'master-key-1', maxRetries: 0 });
    const r = await openai.chat.completions.create({
      model: 'claude-3-5-sonnet',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(r.choices[0]!.message.content!.length).toBeGreaterThan(0);
    const anthropic = new Anthropic({ baseURL: gw.url, apiKey: 'master-key-1', maxRetries: 0 });
    const m = await anthropic.messages
      .stream({ model: 'claude-3-5-sonnet', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    expect(m.stop_reason).toBe('end_turn');
    expect((await fetch(`${gw.url}/health`)).status).toBe(200);
    expect((await fetch(`${gw.url}/ready`)).status).toBe(200);
    // a key is configured (the master key), so /metrics asks for one as the API does
    expect((await fetch(`${gw.url}/metrics`)).status).toBe(401);
    const metrics = await (
      await fetch(`${gw.url}/metrics`, { headers: { authorization: 'Bearer master-key-1' } })
    ).text();
    expect(metrics).toContain(
      'orchestra_requests_total{alias="claude-3-5-sonnet",api="anthropic",status="200"} 1',
    );
    const queue = await fetch(`${gw.url}/admin/queue`, { headers: { authorization: 'Bearer master-key-1' } });
    expect(((await queue.json()) as { policy: string }).policy).toBe('gxa');
    expect((await fetch(`${gw.url}/admin/queue`)).status).toBe(401);
  });

  it('has written usage that orchestra usage reports', async () => {
    type Doc = {
      baseline: { model: string };
      rows: Array<{ key: string; requests: number; dollarsSaved: number }>;
    };
    const report = async (): Promise<Doc> => {
      const out: string[] = [];
      expect(
        await usageCommand.run(['--config', config, '--json', '--by', 'alias'], {
          out: (l) => out.push(l),
          err: () => {},
        }),
      ).toBe(0);
      return JSON.parse(out.join('\n')) as Doc;
    };
    // the gateway's writer thread commits the rows a moment after the answers
    const doc = await vi.waitFor(
      async () => {
        const d = await report();
        expect(d.rows[0]).toMatchObject({ key: 'claude-3-5-sonnet', requests: 2 });
        return d;
      },
      { timeout: 15_000, interval: 100 },
    );
    expect(doc.baseline.model).toBe('claude-sonnet');
    expect(doc.rows[0]!.dollarsSaved).toBeGreaterThan(0);
  });

  it('refuses to run open off loopback', async () => {
    await expect(
      startGatewayServer({ configFile: config, port: 0, host: '0.0.0.0', env: {}, log: () => {} }),
    ).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining('only listens on loopback'),
    });
  });
});
