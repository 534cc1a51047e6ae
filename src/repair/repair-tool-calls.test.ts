import { describe, expect, it } from 'vitest';
import { isAppError } from '../core/errors/index.ts';
import { repairToolCalls } from './repair-tool-calls.ts';
import type { ModelReply, RepairModelCall } from './repair-types.ts';
import { TOOLS } from './test-tools.ts';

/** A scripted helper model that records what it was asked. */
function model(...replies: (ModelReply | Error)[]) {
  const asked: Parameters<RepairModelCall>[0][] = [];
  const callModel: RepairModelCall = (request) => {
    asked.push(request);
    const next = replies.shift();
    if (!next) return Promise.reject(new Error('no more scripted replies'));
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  };
  return { asked, callModel };
}

const BROKEN = '<tool_call>{"name": "get_weather", "arguments": {"location": {"city": "Paris"}}}</tool_call>';

describe('repairToolCalls', () => {
  it('salvage mode is rungs 1-4 and never calls a model', async () => {
    const m = model();
    const r = await repairToolCalls({ text: BROKEN }, TOOLS, { mode: 'salvage', callModel: m.callModel });
    expect(r.verdict).toBe('invalid');
    expect(m.asked).toEqual([]);
  });

  it('rung 5: the interpreter gets the schema as format, one shot, and its valid arguments are taken', async () => {
    const m = model({ text: '{"location": "Paris"}' });
    const r = await repairToolCalls({ text: BROKEN }, TOOLS, { mode: 'full', callModel: m.callModel });
    expect(r.calls).toEqual([
      { name: 'get_weather', arguments: { location: 'Paris' }, rung: 5, form: 'interpreted' },
    ]);
    expect(r.verdict).toBe('calls');
    expect(r.problems).toEqual([]);
    expect(m.asked).toHaveLength(1);
    expect(m.asked[0]).toMatchObject({ purpose: 'interpret', format: TOOLS[1]!.parameters });
    expect(m.asked[0]!.prompt).toContain('location: expected string');
  });

  it('rung 6: an interpreter that fails leads to one re-ask naming the tools and the error', async () => {
    const m = model(
      { text: 'not json' },
      { text: '', nativeCalls: [{ name: 'get_weather', arguments: { location: 'Paris' } }] },
    );
    const r = await repairToolCalls({ text: BROKEN }, TOOLS, { mode: 'full', callModel: m.callModel });
    expect(r.calls).toEqual([
      { name: 'get_weather', arguments: { location: 'Paris' }, rung: 6, form: 'reasked' },
    ]);
    expect(m.asked.map((a) => a.purpose)).toEqual(['interpret', 'reask']);
    expect(m.asked[1]!.prompt).toContain('The valid tools are: write_file, get_weather.');
    expect(m.asked[1]!.prompt).toContain('location: expected string');
  });

  it('re-asks a narrated reply and an unknown tool, not a plain answer', async () => {
    const narrated = model({
      text: '<tool_call>{"name": "write_file", "arguments": {"path": "a", "content": "b"}}</tool_call>',
    });
    const r = await repairToolCalls({ text: 'I will now call write_file.' }, TOOLS, {
      mode: 'full',
      callModel: narrated.callModel,
    });
    expect([r.verdict, r.calls[0]?.rung]).toEqual(['calls', 6]);
    const unknown = model({ text: 'Sorry, no such tool.' });
    const u = await repairToolCalls(
      { text: '<tool_call>{"name": "rm", "arguments": {}}</tool_call>' },
      TOOLS,
      {
        mode: 'full',
        callModel: unknown.callModel,
      },
    );
    expect(u.verdict).toBe('unknown_tool');
    expect(u.problems.at(-1)).toContain('the re-ask gave no valid call either (no_call)');
    const plain = model();
    expect(
      (
        await repairToolCalls({ text: 'Paris is sunny.' }, TOOLS, {
          mode: 'full',
          callModel: plain.callModel,
        })
      ).verdict,
    ).toBe('no_call');
    expect(plain.asked).toEqual([]);
  });

  it('a failing helper model loses nothing: the result says what failed', async () => {
    const m = model(new Error('connection refused'), new Error('connection refused'));
    const r = await repairToolCalls({ text: BROKEN }, TOOLS, { mode: 'full', callModel: m.callModel });
    expect(r.verdict).toBe('invalid');
    expect(r.problems).toContain('the interpret model call failed: connection refused');
    expect(r.problems).toContain('the reask model call failed: connection refused');
  });

  it('full mode without a model call is a clear error', async () => {
    const e = await repairToolCalls({ text: BROKEN }, TOOLS, { mode: 'full' }).catch((x: unknown) => x);
    expect(isAppError(e) && e.message).toBe('tool-call repair mode "full" needs a callModel for rungs 5-6');
  });
});
