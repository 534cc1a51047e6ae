// Threads on the emulated fleet: an arbiter with a small context window works through more steps
// than fit in it. Its thread trims the oldest turns, keeps the system prompt, the pinned task and
// the latest step, and every prompt the server counted stays inside the window.
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import { agentSpec, decisions, engineHarness, json, type EngineHarness } from './engine-harness.ts';

const WINDOW = 2048;
const ROUNDS = 7;

/** consult the coder on file k, approve, next file; finish after ROUNDS approvals */
const arbiter = (input: ResponderInput, n: number): string => {
  const round = Math.floor(n / 2);
  if (round >= ROUNDS) return json({ action: 'finish', result: `${ROUNDS} files written` });
  if (n % 2 === 1) return json({ action: 'review', review: { verdict: 'approve' } });
  return json({
    action: 'consult',
    specialist: 'coder',
    instruction: `Write src/f${round}.ts exporting f${round}(), with a doc comment explaining what it is for.`,
    acceptance: `src/f${round}.ts exists and exports f${round}`,
  });
};
const coder = (input: ResponderInput) => {
  if (input.messages.at(-1)?.role === 'tool') return { content: 'Written.' };
  const file = /Write (src\/f\d+\.ts)/.exec(input.messages.at(-1)!.content)?.[1] ?? 'src/x.ts';
  return {
    content: '',
    toolCalls: [{ name: 'write_file', arguments: { path: file, content: 'export const f = 1;\n' } }],
  };
};

let h: EngineHarness | undefined;
afterEach(() => h?.close());

async function run(contextWindow: number) {
  h?.close();
  h = await engineHarness({ arbiter: [arbiter], coder: [coder] });
  const { outcome, log } = await h.run(agentSpec({ arbiter: { alias: 'arbiter', contextWindow } }));
  const counted = log.list.flatMap((e) =>
    e.type === 'model_call' && e.purpose === 'arbiter' ? [e.tokensIn] : [],
  );
  return { outcome, log, asks: h.seen.get('arbiter')!, counted };
}

describe('engine: threads trimmed in a run', () => {
  it('keep the system prompt, the pinned task and the latest step inside a small window', async () => {
    // with room to spare the arbiter's last prompt is larger than the small window
    const roomy = await run(32_768);
    expect(roomy.outcome.status).toBe('succeeded');
    expect(roomy.counted.at(-1)!).toBeGreaterThan(WINDOW);
    expect(roomy.asks.at(-1)!.messages.some((m) => m.content.startsWith('Step 1.'))).toBe(true);

    const { outcome, log, asks, counted } = await run(WINDOW);
    expect(outcome).toMatchObject({ status: 'succeeded', result: `${ROUNDS} files written` });
    expect(decisions(log)).toHaveLength(2 * ROUNDS + 1);
    const last = asks.at(-1)!.messages;
    // trimmed: the first steps are gone...
    expect(last.some((m) => m.content.startsWith('Step 1.'))).toBe(false);
    // ...the system prompt, the pinned task and the latest step are there
    expect(last[0]).toMatchObject({ role: 'system' });
    expect(last[0]!.content).toContain('You are the arbiter');
    expect(last[1]!.content.startsWith('Agent implementer: Implement the calculator.')).toBe(true);
    expect(last.at(-1)!.content.startsWith(`Step ${2 * ROUNDS + 1}.`)).toBe(true);
    // every arbiter prompt, as the server counted it, fitted the window
    expect(counted).toHaveLength(2 * ROUNDS + 1);
    expect(Math.max(...counted)).toBeLessThanOrEqual(WINDOW);
  });
});
