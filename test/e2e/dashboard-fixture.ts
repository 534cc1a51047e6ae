// A real `orchestra serve` for the dashboard's browser tests: the gateway on a socket with a master
// key and two named keys, in front of emulated Ollama servers on sockets (scaled time), a priced
// cloud model for savings, and client traffic from both keys through the official openai client.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startGatewayServer, type RunningGateway } from '../../src/app.ts';
import { FleetSchema } from '../../src/config/index.ts';
import { startEmulatedFleet, type EmulatedFleet } from '../../src/emulator/emulated-fleet.ts';
import { hashKey } from '../../src/gateway/key-hash.ts';

export const MASTER = 'dash-master-key-0123456789';
export const KEYS = { alice: 'orch-alice-key-0123456789abcdef', bob: 'orch-bob-key-0123456789abcdef' };

export interface DashboardFixture {
  gw: RunningGateway;
  dir: string;
  storePath: string;
  logs: string[];
  /** one chat request as `key` to `model` */
  ask(key: keyof typeof KEYS, model: string, agent?: string): Promise<void>;
  /** requests from both keys in a loop until the returned stop() is awaited */
  traffic(): { stop(): Promise<number> };
  adminJson(path: string): Promise<unknown>;
  close(): Promise<void>;
}

// the emulators run 100 times faster than real time; the gateway's load-time priors say so
const TIME_SCALE = 0.01;
const servers = [
  { name: 'alpha', url: 'http://127.0.0.1:1', profile: 'm4-32', memoryGiB: 21.3 },
  { name: 'beta', url: 'http://127.0.0.1:1', profile: 'm4-32', memoryGiB: 21.3 },
];
const models = [
  {
    name: 'qwen2.5-coder:32b',
    paramsB: 32,
    memoryGiB: 18.5,
    contextTokens: 8192,
    servers: ['alpha'],
    loadSeconds: 30,
  },
  {
    name: 'qwen2.5:14b',
    paramsB: 14,
    memoryGiB: 9,
    contextTokens: 8192,
    servers: ['alpha'],
    loadSeconds: 15,
  },
  { name: 'qwen2.5:7b', paramsB: 7, memoryGiB: 4.4, contextTokens: 8192, servers: ['beta'], loadSeconds: 8 },
];

export async function startDashboardFixture(): Promise<DashboardFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'orchestra-dashboard-'));
  const storePath = join(dir, 'usage.sqlite');
  const emulated: EmulatedFleet = await startEmulatedFleet(FleetSchema.parse({ servers, models }), {
    timeScale: TIME_SCALE,
    host: '127.0.0.1',
    ports: { alpha: 0, beta: 0 },
  });
  const url = (name: string): string => emulated.servers.find((s) => s.name === name)!.url;
  const config = join(dir, 'fleet.yaml');
  const m = (x: (typeof models)[number]): string =>
    `  - { name: "${x.name}", paramsB: ${x.paramsB}, memoryGiB: ${x.memoryGiB}, contextTokens: 8192, servers: [${x.servers[0]}], loadSeconds: ${x.loadSeconds * TIME_SCALE} }`;
  writeFileSync(
    config,
    `servers:
  - { name: alpha, url: "${url('alpha')}", memoryGiB: 21.3 }
  - { name: beta, url: "${url('beta')}", memoryGiB: 21.3 }
  - { name: anthropic, url: "https://api.anthropic.com", kind: anthropic, apiKeyEnv: DASH_TEST_NO_KEY }
models:
${models.map(m).join('\n')}
  - { name: claude-sonnet, upstreamName: claude-sonnet-4-5, servers: [anthropic], contextTokens: 200000, price: { inputPerMTok: 3, outputPerMTok: 15 } }
aliases:
  coder: ["qwen2.5-coder:32b", claude-sonnet]
  writer: ["qwen2.5:14b", claude-sonnet]
  fast: ["qwen2.5:7b"]
scheduler:
  # short visits and wait bound so both of alpha's models take turns within seconds of traffic
  waitTargetSeconds: 4
  minVisitSeconds: 1
gateway:
  storePath: "${storePath}"
  keys:
    - { name: alice, hash: "${await hashKey(KEYS.alice)}" }
    - { name: bob, hash: "${await hashKey(KEYS.bob)}" }
`,
  );
  const logs: string[] = [];
  const gw = await startGatewayServer({
    configFile: config,
    port: 0,
    // PATH: the runs it resumes from the dashboard run acceptance checks in a shell
    env: { ORCHESTRA_MASTER_KEY: MASTER, PATH: process.env.PATH ?? '/usr/bin:/bin' },
    log: (l) => logs.push(l),
  });
  const clients = {
    alice: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: KEYS.alice, maxRetries: 0 }),
    bob: new OpenAI({ baseURL: `${gw.url}/v1`, apiKey: KEYS.bob, maxRetries: 0 }),
  };
  const ask = async (key: keyof typeof KEYS, model: string, agent = `${key}-agent`): Promise<void> => {
    await clients[key].chat.completions.create(
      { model, messages: [{ role: 'user', content: `hello from ${agent}` }], max_tokens: 24 },
      { headers: { 'x-orchestra-agent': agent } },
    );
  };
  return {
    gw,
    dir,
    storePath,
    logs,
    ask,
    traffic() {
      let running = true;
      let sent = 0;
      const plan: Array<[keyof typeof KEYS, string]> = [
        ['alice', 'coder'],
        ['bob', 'fast'],
        ['alice', 'fast'],
        ['bob', 'writer'],
      ];
      const loops = plan.map(async ([key, model], i) => {
        while (running) {
          sent++;
          // a refusal (admission) is traffic too: the queues page counts it
          await ask(key, model, `${key}-${i}`).catch(() => {});
          // a short think time keeps the load small on a shared machine
          await new Promise((r) => setTimeout(r, 50));
        }
      });
      return {
        async stop() {
          running = false;
          await Promise.all(loops);
          return sent;
        },
      };
    },
    async adminJson(path) {
      const r = await fetch(`${gw.url}${path}`, { headers: { authorization: `Bearer ${MASTER}` } });
      if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
      return r.json();
    },
    async close() {
      await gw.close();
      await emulated.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
