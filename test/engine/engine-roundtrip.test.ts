// A consultation round trip on the emulated fleet: arbiter -> specialist -> tool calls -> review.
import { afterEach, describe, expect, it } from 'vitest';
import { agentSpec, decisions, engineHarness, json, types, type EngineHarness } from './engine-harness.ts';

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
  toolCalls: [
    {
      name: 'write_file',
      arguments: { path: 'src/add.ts', content: 'export const add = (a: number, b: number) => a + b;\n' },
    },
  ],
};

let h: EngineHarness | undefined;
afterEach(() => h?.close());

describe('engine: consultation round trip', () => {
  it('consults the coder, executes its tool call, approves and finishes', async () => {
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [writeAdd, 'Wrote src/add.ts.'] });
    const { outcome, log } = await h.run(agentSpec());
    expect(outcome).toEqual({
      status: 'succeeded',
      result: 'add is implemented',
      filesChanged: ['src/add.ts'],
      stats: {
        coder: { calls: 1, successes: 1 },
        tester: { calls: 0, successes: 0 },
        reviewer: { calls: 0, successes: 0 },
      },
    });
    expect(h.files.files.get('src/add.ts')).toContain('a + b');
    expect(decisions(log).map((d) => [d.decision.action, d.source])).toEqual([
      ['consult', 'model'],
      ['review', 'model'],
      ['finish', 'model'],
    ]);
    expect(types(log)).toContain('tool_effect');
    const consultation = log.list.find((e) => e.type === 'consultation');
    expect(consultation).toMatchObject({ specialist: 'coder', valid: true, filesChanged: ['src/add.ts'] });
    expect(types(log).at(-1)).toBe('agent_finished');
  });

  it('logs every model call with the gateway request id, the answering model and server counts', async () => {
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [writeAdd, 'Wrote src/add.ts.'] });
    const { log } = await h.run(agentSpec());
    const calls = log.list.filter((e) => e.type === 'model_call');
    expect(calls.map((c) => [c.purpose, c.model])).toEqual([
      ['arbiter', 'qwen2.5:7b'],
      ['specialist', 'qwen2.5-coder:32b'],
      ['specialist', 'qwen2.5-coder:32b'],
      ['arbiter', 'qwen2.5:7b'],
      ['arbiter', 'qwen2.5:7b'],
    ]);
    for (const c of calls) {
      expect(c.requestId).toMatch(/^req_/);
      expect(c.tokensIn).toBeGreaterThan(0);
    }
    // the specialist's calls carry the dynamic prompt's size against the static prompt's
    const specialist = calls.find((c) => c.purpose === 'specialist')!;
    expect(specialist.promptTokens!.dynamic).toBeLessThan(specialist.promptTokens!.static);
    // and the gateway counted them for this agent
    const rows = h.gateway.store.recent(10);
    expect(rows.length).toBe(5);
    expect(rows.every((r) => r.agent === 'implementer')).toBe(true);
  });

  it('sends the arbiter the decision schema as structured output, no tools, temperature 0.1', async () => {
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [writeAdd, 'done'] });
    await h.run(agentSpec());
    const first = h.seen.get('arbiter')![0]!;
    expect(first.tools).toEqual([]);
    expect(JSON.stringify(first.format)).toContain('"consult"');
    expect(h.seen.get('coder')![0]!.tools).toEqual(['write_file', 'read_file']);
    // on the wire: json_schema structured output, no tools, the low temperature
    const arbiterBodies = h.bodies.filter((b) => b.response_format !== undefined);
    expect(arbiterBodies).toHaveLength(3);
    for (const b of arbiterBodies) {
      expect(b.tools).toBeUndefined();
      expect(b.temperature).toBe(0.1);
      expect((b.response_format as { type: string }).type).toBe('json_schema');
    }
  });

  it("shows the upstream agents' results to the arbiter and the specialist", async () => {
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [writeAdd, 'done'] });
    const upstream = [
      { agentId: 'architect', result: 'Use one file per operation.', filesChanged: ['NOTES.md'] },
    ];
    await h.run(agentSpec({ upstream, dependsOn: ['architect'] }));
    const arbiterSaw = h.seen
      .get('arbiter')![0]!
      .messages.map((m) => m.content)
      .join('\n');
    expect(arbiterSaw).toContain('- architect: Use one file per operation. (files: NOTES.md)');
    const coderSystem = h.seen.get('coder')![0]!.messages.find((m) => m.role === 'system')!.content;
    expect(coderSystem).toContain('architect: Use one file per operation.');
  });
});
