// Time to first token of plain streamed answers with tool-call repair on against off, in one run:
// `orchestra serve`'s server (startGatewayServer) on a socket in front of an emulated Ollama on a
// socket, two aliases of one local model (`on`: salvage, `off`: repair off), requests offering
// Claude Code's 15 tools, through the Anthropic and OpenAI faces. TTFT: from the request's send to the first chunk that
// carries answer text; total: to the end of the body. Target: on within 1.05x of off at p50.
// Requests go in pairs (one per alias, alternating which first), so both see the same moment.
// Knobs: BENCH_ROUNDS (default 10), BENCH_REQUESTS pairs per round (40), BENCH_CONCURRENCY (1).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGatewayServer } from '../src/app.ts';
import { FleetSchema } from '../src/config/index.ts';
import { startEmulatedFleet } from '../src/emulator/emulated-fleet.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 40);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 1);

const fixture = JSON.parse(
  readFileSync(
    new URL('../src/translate/anthropic/__fixtures__/claude-code-request.json', import.meta.url),
    'utf8',
  ),
) as { tools: { name: string; description?: string; input_schema: unknown }[] };
const anthropicTools = fixture.tools;
const openAITools = anthropicTools.map((t) => ({
  type: 'function',
  function: { name: t.name, description: t.description ?? '', parameters: t.input_schema },
}));

// a plain answer of prose, 60 words; it names tools in passing, as answers do
const ANSWER = Array.from(
  { length: 6 },
  (_, i) =>
    `Step ${i + 1}: I read the Read tool's notes and the Bash output, then checked the result (it was fine).`,
).join(' ');

const model = { name: 'qwen2.5-coder:7b', paramsB: 7, memoryGiB: 4.4, contextTokens: 32768, loadSeconds: 2 };
const dir = mkdtempSync(join(tmpdir(), 'orchestra-ttft-'));
// the emulator's time scaled down, prefill almost free: the first token comes about 1 ms after the
// request reaches it, then a token every ms (50 tok/s scaled by 0.05), so TTFT is mostly the
// gateway and the sockets, and the first token travels alone as it does from a real model
const fleet = await startEmulatedFleet(
  FleetSchema.parse({
    servers: [{ name: 'mini', url: 'http://127.0.0.1:1', memoryGiB: 21.3, parallel: 8 }],
    models: [{ ...model, servers: ['mini'], decodeTokensPerSecond: 50, prefillTokensPerSecond: 1_000_000 }],
  }),
  { timeScale: 0.05, host: '127.0.0.1', ports: { mini: 0 }, responder: () => ({ content: ANSWER }) },
);
const config = join(dir, 'fleet.yaml');
writeFileSync(
  config,
  `servers:
  - { name: mini, url: "${fleet.servers[0]!.url}", memoryGiB: 21.3, parallel: 8 }
models:
  - { name: "${model.name}", paramsB: 7, memoryGiB: 4.4, contextTokens: 32768, loadSeconds: 2, servers: [mini] }
aliases:
  "on": { models: ["${model.name}"], tool_calls: { repair: salvage } }
  "off": { models: ["${model.name}"], tool_calls: { repair: "off" } }
gateway:
  storePath: "${join(dir, 'usage.sqlite')}"
`,
);
const gw = await startGatewayServer({ configFile: config, port: 0, env: {}, log: () => {} });

type Face = 'anthropic' | 'openai';

function body(face: Face, alias: string): string {
  const messages = [{ role: 'user', content: 'Explain what you did.' }];
  return face === 'anthropic'
    ? JSON.stringify({ model: alias, max_tokens: 1024, stream: true, tools: anthropicTools, messages })
    : JSON.stringify({ model: alias, stream: true, tools: openAITools, messages });
}

/** one streamed request: ms to the first answer text, and to the end */
async function once(face: Face, alias: string): Promise<{ ttft: number; total: number; text: string }> {
  const path = face === 'anthropic' ? '/v1/messages' : '/v1/chat/completions';
  const t0 = performance.now();
  const res = await fetch(`${gw.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'k' },
    body: body(face, alias),
  });
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const dec = new TextDecoder();
  let ttft = -1;
  let raw = '';
  const marker = face === 'anthropic' ? '"text_delta"' : '"content":"';
  for (;;) {
    const r = await reader.read();
    if (r.done) break;
    raw += dec.decode(r.value, { stream: true });
    if (ttft < 0 && raw.includes(marker)) ttft = performance.now() - t0;
  }
  return { ttft, total: performance.now() - t0, text: raw };
}

/** `REQUESTS` pairs, one request per alias each, in alternating order, `CONCURRENCY` pairs at once:
 * the two of a pair see the same moment of a shared, noisy machine */
async function pairs(face: Face, on: Samples, off: Samples, round: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < REQUESTS) {
      const i = next++;
      const order: [string, Samples][] =
        (i + round) % 2 === 0
          ? [
              ['on', on],
              ['off', off],
            ]
          : [
              ['off', off],
              ['on', on],
            ];
      const got: number[] = [];
      for (const [alias, acc] of order) {
        const r = await once(face, alias);
        if (r.ttft < 0) throw new Error(`no answer text from ${alias}: ${r.text.slice(0, 300)}`);
        acc.ttft.push(r.ttft);
        acc.total.push(r.total);
        got.push(r.ttft);
      }
      on.pairRatios.push(order[0]![0] === 'on' ? got[0]! / got[1]! : got[1]! / got[0]!);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

interface Samples {
  ttft: number[];
  total: number[];
  /** on / off TTFT of each pair (kept on the `on` samples) */
  pairRatios: number[];
}
const samples = (): Samples => ({ ttft: [], total: [], pairRatios: [] });

const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const f2 = (n: number): string => n.toFixed(2);

console.log(
  `tool-call repair: TTFT of plain streamed answers, repair on (salvage) vs off; ${ROUNDS} rounds x ${REQUESTS} pairs, ${CONCURRENCY} concurrent, 15 tools offered; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
try {
  for (const face of ['anthropic', 'openai'] as Face[]) {
    const on = samples();
    const off = samples();
    await pairs(face, samples(), samples(), 0); // warm-up: the model's load, the first connections
    for (let r = 0; r < ROUNDS; r++) await pairs(face, on, off, r);
    const ratio = pct(on.ttft, 50) / pct(off.ttft, 50);
    console.log(`\n${face} face (ms)        p50 TTFT  p90 TTFT  p50 total  p90 total`);
    console.log(
      `  repair off          ${[pct(off.ttft, 50), pct(off.ttft, 90), pct(off.total, 50), pct(off.total, 90)].map((n) => f2(n).padStart(8)).join('  ')}`,
    );
    console.log(
      `  repair on           ${[pct(on.ttft, 50), pct(on.ttft, 90), pct(on.total, 50), pct(on.total, 90)].map((n) => f2(n).padStart(8)).join('  ')}`,
    );
    console.log(
      `  on / off: TTFT p50 ${f2(ratio)}x, p90 ${f2(pct(on.ttft, 90) / pct(off.ttft, 90))}x, total p50 ${f2(pct(on.total, 50) / pct(off.total, 50))}x; median of paired TTFT ratios ${f2(pct(on.pairRatios, 50))}x  (target TTFT p50 <= 1.05x: ${ratio <= 1.05 ? 'met' : 'MISSED'})`,
    );
  }
} finally {
  await gw.close();
  await fleet.close();
  rmSync(dir, { recursive: true, force: true });
}
