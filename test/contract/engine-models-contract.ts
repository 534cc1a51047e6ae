// The engine's model calls through the gateway, one set of tests for every backend: the emulated
// fleet always, a real Ollama when OLLAMA_URL is set (engine-real.contract.test.ts). They check the
// wire path the engine depends on: a structured-output call that comes back as the schema's JSON
// with server token counts, and a tool call offered through the AI SDK that comes back as a call.
import { describe, expect, it } from 'vitest';
import { ARBITER_DECISION_JSON_SCHEMA } from '../../src/engine/arbiter-decision.ts';
import type { GatewayConnection } from '../../src/engine/engine-types.ts';
import { gatewayModels } from '../../src/engine/gateway-model.ts';
import { z } from 'zod';

export interface EngineBackend {
  connection: GatewayConnection;
  alias: string;
  /** drives virtual time while `p` runs (identity on real time) */
  until<T>(p: Promise<T>): Promise<T>;
  close(): void;
}

const identity = { runId: 'contract', agentId: 'engine-contract' };

export interface ContractOptions {
  timeoutMs?: number;
  /** why this backend cannot be tested here: every test is reported skipped with this note */
  skip?: string;
}

export function engineModelsContract(
  name: string,
  setup: () => Promise<EngineBackend>,
  options: ContractOptions = {},
): void {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const ready = (ctx: { skip(note?: string): never }): void => {
    if (options.skip !== undefined) ctx.skip(options.skip);
  };
  describe(`engine model calls: ${name}`, () => {
    it(
      'a structured-output call returns JSON of the schema with token counts',
      { timeout: timeoutMs },
      async (ctx) => {
        ready(ctx);
        const b = await setup();
        try {
          const call = gatewayModels(b.connection, identity);
          const r = await b.until(
            call({
              alias: b.alias,
              system: 'Answer with one JSON object matching the schema.',
              messages: [{ role: 'user', content: 'Decide: the task is done; finish with the result "ok".' }],
              schema: ARBITER_DECISION_JSON_SCHEMA,
              temperature: 0,
              maxOutputTokens: 200,
            }),
          );
          if (!r.ok) throw new Error(`the call failed: ${r.error}`);
          const value = JSON.parse(r.text) as { action?: unknown };
          expect(typeof value.action).toBe('string');
          expect(r.tokensIn).toBeGreaterThan(0);
          expect(r.tokensOut).toBeGreaterThan(0);
          expect(r.requestId).toBeTruthy();
        } finally {
          b.close();
        }
      },
    );

    it(
      'a tool offered through the AI SDK comes back as a call with its arguments',
      { timeout: timeoutMs },
      async (ctx) => {
        ready(ctx);
        const b = await setup();
        try {
          const call = gatewayModels(b.connection, identity);
          const r = await b.until(
            call({
              alias: b.alias,
              system: 'You act only through tool calls.',
              messages: [
                { role: 'user', content: 'Call the tool write_file with path "a.txt" and content "hi".' },
              ],
              tools: [
                {
                  name: 'write_file',
                  description: 'Write a file.',
                  inputSchema: z.object({ path: z.string(), content: z.string() }),
                },
              ],
              temperature: 0,
              maxOutputTokens: 200,
            }),
          );
          if (!r.ok) throw new Error(`the call failed: ${r.error}`);
          expect(r.calls.map((c) => c.name)).toContain('write_file');
          const c = r.calls.find((x) => x.name === 'write_file')!;
          expect(c.problem).toBeUndefined();
          expect(c.input).toMatchObject({ path: 'a.txt' });
        } finally {
          b.close();
        }
      },
    );
  });
}
