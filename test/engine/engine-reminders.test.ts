// A specialist's reply that cannot be executed: the next prompt carries the matching reminder, the
// injected repair ladder runs before the reply is logged, and an input larger than 70% of the
// specialist's window is read in chunks.
import { afterEach, describe, expect, it } from 'vitest';
import type { ResponderInput } from '../../src/emulator/responders/responder.ts';
import type { ToolCallRepair } from '../../src/engine/engine-types.ts';
import { agentSpec, engineHarness, json, SPECIALISTS, type EngineHarness } from './engine-harness.ts';

const consult = json({
  action: 'consult',
  specialist: 'coder',
  instruction: 'Write src/add.ts.',
  acceptance: 'it exists',
});
const approve = json({ action: 'review', review: { verdict: 'approve' } });
const finish = json({ action: 'finish', result: 'done' });
const call = (name: string) => ({
  content: '',
  toolCalls: [{ name, arguments: { path: 'src/add.ts', content: 'x' } }],
});
const system = (input: ResponderInput): string => input.messages.find((m) => m.role === 'system')!.content;

let h: EngineHarness | undefined;
afterEach(() => h?.close());

describe('engine: failure reminders', () => {
  it('after an unknown tool the next prompt names the real tools, and the recovered result is valid', async () => {
    // the gateway would repair the name itself (rung 2): off, so the engine sees the model's call
    h = await engineHarness(
      { arbiter: [consult, approve, finish], coder: [call('writeFile'), call('write_file'), 'Wrote it.'] },
      SPECIALISTS,
      { gatewayRepair: 'off' },
    );
    const { outcome, log } = await h.run(agentSpec());
    expect(outcome.status).toBe('succeeded');
    const [first, second] = h.seen.get('coder')!;
    expect(system(first!)).not.toContain('There is no tool named');
    expect(system(second!)).toContain(
      'There is no tool named "writeFile". The only tools are: write_file, read_file',
    );
    expect(log.list.find((e) => e.type === 'consultation')).toMatchObject({ valid: true });
    expect(log.list.find((e) => e.type === 'heal')).toMatchObject({ kind: 'unknown_tool' });
    expect(h.files.writes).toBe(1);
  });

  it('after invalid arguments the reminder gives the error and the expected shape', async () => {
    const bad = { content: '', toolCalls: [{ name: 'write_file', arguments: { file: 'a' } }] };
    h = await engineHarness({ arbiter: [consult, approve, finish], coder: [bad, call('write_file'), 'ok'] });
    await h.run(agentSpec());
    const second = h.seen.get('coder')![1]!;
    expect(system(second)).toMatch(
      /Your call to write_file had invalid arguments: path: .*write_file \{"path":"<path>","content":"<content>"\}/s,
    );
  });

  it('a reply with no call before any action gets the no-call reminder once', async () => {
    h = await engineHarness({
      arbiter: [consult, approve, finish],
      coder: ['I will write the file now.', call('write_file'), 'Done.'],
    });
    await h.run(agentSpec());
    expect(system(h.seen.get('coder')![1]!)).toContain('You answered in text without calling a tool');
    expect(h.files.writes).toBe(1);
  });
});

describe('engine: repair ladder before logging', () => {
  it('a call the ladder repairs is executed and logged with its rung', async () => {
    const ladder: ToolCallRepair = (reply, tools) => {
      const native = reply.nativeCalls ?? [];
      return {
        verdict: 'calls',
        text: '',
        problems: [],
        calls: native.map((c) => ({
          name: tools.find((t) => t.name.replace('_', '') === c.name.toLowerCase())!.name,
          arguments: c.arguments as Record<string, unknown>,
          rung: 2 as const,
        })),
      };
    };
    h = await engineHarness(
      { arbiter: [consult, approve, finish], coder: [call('writeFile'), 'Wrote it.'] },
      SPECIALISTS,
      { repair: ladder, gatewayRepair: 'off' },
    );
    const { log } = await h.run(agentSpec());
    const repaired = log.list.find((e) => e.type === 'model_call' && e.purpose === 'specialist');
    expect(repaired).toMatchObject({ rung: 2, result: { ok: true, toolCalls: [{ name: 'write_file' }] } });
    expect(h.files.writes).toBe(1);
  });
});

describe('engine: chunking', () => {
  it('reads an input above 70% of the window in parts, with notes, then acts on the last part', async () => {
    const long = Array.from(
      { length: 40 },
      (_, i) => `Requirement ${i}: ${'the function must handle this case '.repeat(8)}`,
    ).join('\n\n');
    const small = SPECIALISTS.map((s) => (s.name === 'coder' ? { ...s, contextWindow: 2048 } : s));
    const coder = (input: ResponderInput) => {
      const last = input.messages.at(-1)!;
      if (last.role === 'tool') return { content: 'Done.' };
      if (/^Part \d+ of \d+ of a long input/.test(last.content))
        return { content: 'notes: handle the cases' };
      return call('write_file');
    };
    h = await engineHarness(
      {
        arbiter: [
          json({ action: 'consult', specialist: 'coder', instruction: long, acceptance: 'all requirements' }),
          approve,
          finish,
        ],
        coder: [coder],
      },
      small,
    );
    const { outcome } = await h.run(agentSpec({ specialists: small }));
    expect(outcome.status).toBe('succeeded');
    const asks = h.seen.get('coder')!;
    const parts = asks.filter((a) => /^Part \d+ of \d+ of a long input/.test(a.messages.at(-1)!.content));
    expect(parts.length).toBeGreaterThan(1);
    // the call that acts carries the notes and the last part, and fits the window
    const act = asks[parts.length]!;
    expect(act.messages.at(-1)!.content).toMatch(/^Part (\d+) of \1 \(the last\)/);
    expect(act.messages.filter((m) => m.content.startsWith('Notes on part'))).toHaveLength(parts.length);
  });
});
