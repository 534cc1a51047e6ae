// The engine reaching a gateway that runs elsewhere: over HTTP on a loopback socket, with the
// gateway's key. The same round trip as in process; a refused key stops the agent saying why.
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../src/core/errors/index.ts';
import { agentSpec, decisions, engineHarness, json, type EngineHarness } from './engine-harness.ts';

const consult = json({
  action: 'consult',
  specialist: 'coder',
  instruction: 'Write src/add.ts exporting add(a, b).',
  acceptance: 'add(1, 2) is 3',
});
const approve = json({ action: 'review', review: { verdict: 'approve' } });
const finish = json({ action: 'finish', result: 'add is implemented' });
const writeAdd = {
  content: '',
  toolCalls: [{ name: 'write_file', arguments: { path: 'src/add.ts', content: 'export const add = 1;\n' } }],
};

let h: EngineHarness | undefined;
afterEach(() => h?.close());

describe('engine over HTTP', () => {
  it('runs a consultation round trip through a gateway on a socket, counted for the agent', async () => {
    h = await engineHarness(
      { arbiter: [consult, approve, finish], coder: [writeAdd, 'Wrote src/add.ts.'] },
      undefined,
      { http: { masterKey: 'http-test-key' } },
    );
    const { outcome, log } = await h.run(agentSpec());
    expect(outcome).toMatchObject({ status: 'succeeded', filesChanged: ['src/add.ts'] });
    expect(decisions(log).map((d) => d.source)).toEqual(['model', 'model', 'model']);
    const calls = log.list.filter((e) => e.type === 'model_call');
    expect(calls.every((c) => c.requestId?.startsWith('req_'))).toBe(true);
    const rows = h.gateway.store.recent(10);
    expect(rows).toHaveLength(calls.length);
    expect(rows.every((r) => r.agent === 'implementer')).toBe(true);
  });

  it('stops with an unauthorized error naming the gateway when the key is refused', async () => {
    h = await engineHarness({ arbiter: [consult], coder: ['unused'] }, undefined, {
      http: { masterKey: 'http-test-key', engineKey: 'wrong-key' },
    });
    const run = h.run(agentSpec());
    await expect(run).rejects.toBeInstanceOf(AppError);
    await expect(run).rejects.toMatchObject({ code: 'unauthorized' });
    await expect(run).rejects.toThrow(/refused the engine's call \(401\)/);
    // nothing was asked of any model
    expect(h.seen.size).toBe(0);
  });
});
