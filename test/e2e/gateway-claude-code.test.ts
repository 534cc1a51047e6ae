// Claude Code traffic: the recorded-shape streaming request (15 tools, system blocks with
// cache_control, thinking, tool_use / tool_result history with an error and an image, metadata
// user_id) goes through the gateway to the emulated Ollama and back as a correct Anthropic stream.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import { parseSSE } from '../../src/lib/sse.ts';
import { BASE, e2eFleet, gatewayHarness, type GatewayHarness } from './gateway-harness.ts';

const FIXTURE = JSON.parse(
  readFileSync(
    new URL('../../src/translate/anthropic/__fixtures__/claude-code-request.json', import.meta.url),
    'utf8',
  ),
) as { model: string; tools: unknown[]; messages: unknown[]; metadata: { user_id: string } };

let h: GatewayHarness;
afterEach(() => h.close());

describe('Claude Code request through the gateway', () => {
  it('reaches Ollama with every tool and the tool history, and streams back in Anthropic order', async () => {
    const seen: ResponderInput[] = [];
    const fleet = e2eFleet({
      models: [
        {
          name: 'qwen2.5-coder:32b',
          paramsB: 32,
          memoryGiB: 16,
          contextTokens: 16384,
          servers: ['alpha'],
          loadSeconds: 30,
        },
        {
          name: 'qwen2.5:7b',
          paramsB: 7,
          memoryGiB: 4.4,
          contextTokens: 16384,
          servers: ['beta'],
          loadSeconds: 8,
        },
      ],
      aliases: { [FIXTURE.model]: ['qwen2.5-coder:32b', 'qwen2.5:7b'] },
    });
    h = await gatewayHarness({
      fleet,
      responder: (input) => {
        seen.push(input);
        return {
          content: '',
          toolCalls: [{ name: 'Read', arguments: { file_path: '/home/dev/orchestra/src/lib/sse.ts' } }],
        };
      },
    });
    const res = await h.until(
      h.fetch(`${BASE}/v1/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'k' },
        body: JSON.stringify(FIXTURE),
      }),
    );
    expect(res.status).toBe(200);
    const events = parseSSE(await h.until(res.text())).filter((e) => e.event !== 'ping');
    const types = events.map((e) => e.event);
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    const start = events.find((e) => e.event === 'content_block_start' && e.data.includes('tool_use'))!;
    expect(JSON.parse(start.data)).toMatchObject({ content_block: { type: 'tool_use', name: 'Read' } });
    const delta = JSON.parse(events.find((e) => e.event === 'message_delta')!.data) as {
      delta: { stop_reason: string };
    };
    expect(delta.delta.stop_reason).toBe('tool_use');
    // what the model saw: all 15 tools, the tool results as tool messages
    const input = seen.at(-1)!;
    expect(input.tools).toHaveLength(FIXTURE.tools.length);
    expect(input.messages.some((m) => m.role === 'tool')).toBe(true);
    expect(input.messages.some((m) => m.role === 'system')).toBe(true);
    expect(h.store.recent(1)[0]).toMatchObject({
      api: 'anthropic',
      alias: FIXTURE.model,
      agent: FIXTURE.metadata.user_id,
      status: 200,
    });
  });
});
