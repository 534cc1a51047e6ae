// ask_user pauses the agent until the runner logs the answer; a failed acceptance check is fed back
// to the arbiter, and the agent finishes once the check passes.
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import { runAgent } from '../../src/engine/engine.ts';
import type { AcceptanceChecker } from '../../src/engine/engine-types.ts';
import { sequentialIds } from '../../src/lib/ids.ts';
import { BASE } from '../e2e/gateway-harness.ts';
import { agentSpec, engineHarness, json, MemoryLog, type EngineHarness } from './engine-harness.ts';

const lastUser = (input: ResponderInput): string =>
  [...input.messages].reverse().find((m) => m.role === 'user')!.content;

let h: EngineHarness | undefined;
afterEach(() => h?.close());

describe('engine: asking the user', () => {
  it('waits for the answer, then goes on with it in the prompt', async () => {
    const arbiter = (input: ResponderInput): string =>
      lastUser(input).includes('The user answered')
        ? json({ action: 'finish', result: 'numbers only, as the user said' })
        : json({ action: 'ask_user', question: 'Should add() accept strings?' });
    h = await engineHarness({ arbiter: [arbiter] });
    const first = await h.run(agentSpec());
    expect(first.outcome).toEqual({ status: 'waiting', question: 'Should add() accept strings?' });
    const log = new MemoryLog(first.log.list);
    log.append({ type: 'answer', text: 'No, numbers only.', at: h.gateway.clock.now(), step: 0 });
    const resumed = await h.run(agentSpec(), log);
    expect(resumed.outcome).toMatchObject({ status: 'succeeded', result: 'numbers only, as the user said' });
    expect(lastUser(h.seen.get('arbiter')!.at(-1)!)).toContain(
      'The user answered "Should add() accept strings?": No, numbers only.',
    );
  });
});

describe('engine: acceptance check', () => {
  it('feeds a failed check back and finishes when it passes', async () => {
    const arbiter = (input: ResponderInput): string => {
      const last = lastUser(input);
      if (last.includes('waiting for your review'))
        return json({ action: 'review', review: { verdict: 'approve' } });
      const lastStep =
        (last.split('What happened so far:\n')[1] ?? '').split('\n\n')[0]!.split('\n').at(-1) ?? '';
      if (last.includes('FAILED') && !lastStep.includes('approved the result'))
        return json({
          action: 'consult',
          specialist: 'coder',
          instruction: 'Fix the failing test.',
          acceptance: 'npm test passes',
        });
      return json({ action: 'finish', result: 'tests pass' });
    };
    const coder = (input: ResponderInput) =>
      input.messages.at(-1)?.role === 'tool'
        ? { content: 'fixed' }
        : {
            content: '',
            toolCalls: [{ name: 'write_file', arguments: { path: 'src/add.ts', content: 'fixed' } }],
          };
    h = await engineHarness({ arbiter: [arbiter], coder: [coder] });
    const checks: AcceptanceChecker = (a) =>
      Promise.resolve(
        h!.files.files.get('src/add.ts') === 'fixed'
          ? { passed: true, output: 'ok' }
          : { passed: false, output: `${a.command}: 1 failing: add(1, 2) returned undefined` },
      );
    const log = new MemoryLog();
    const outcome = await h.gateway.until(
      runAgent(agentSpec({ acceptance: { kind: 'command', command: 'npm test', timeoutSeconds: 60 } }), {
        log,
        models: { baseURL: `${BASE}/v1`, fetch: h.gateway.fetch },
        tools: h.files.tools(),
        clock: h.gateway.clock,
        ids: sequentialIds(),
        checks,
      }),
    );
    expect(outcome).toMatchObject({
      status: 'succeeded',
      result: 'tests pass',
      filesChanged: ['src/add.ts'],
    });
    expect(log.list.filter((e) => e.type === 'check').map((e) => e.passed)).toEqual([false, true]);
    expect(log.list.find((e) => e.type === 'heal')).toMatchObject({ kind: 'failed_check' });
    const shown = h.seen
      .get('arbiter')!
      .map(lastUser)
      .find((m) => m.includes('FAILED'))!;
    expect(shown).toContain('npm test: 1 failing: add(1, 2) returned undefined');
  });

  it('refuses a command acceptance without a checker, saying what is missing', async () => {
    h = await engineHarness({ arbiter: ['{}'] });
    await expect(
      h.run(agentSpec({ acceptance: { kind: 'command', command: 'npm test', timeoutSeconds: 5 } })),
    ).rejects.toThrow(/acceptance: a command acceptance needs the checks port/);
  });
});
