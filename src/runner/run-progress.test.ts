// The progress views of a run: the TTY table drawn through a fake terminal of fixed width (what a
// user sees after the redraws), one line per event without a TTY, JSON lines with --json.
import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../engine/engine-types.ts';
import type { LoggedEvent, RunnerEvent } from './run-events.ts';
import { progressSink, type ProgressMode } from './run-progress.ts';
import { foldRun } from './run-state.ts';

function eventsOfRun(): LoggedEvent[] {
  let seq = 0;
  const at = (): number => Date.UTC(2026, 0, 1) + seq * 10_000;
  const runner = (event: RunnerEvent): LoggedEvent => ({ seq: ++seq, at: at(), source: 'runner', event });
  const engine = (agent: string, event: EngineEvent): LoggedEvent => ({
    seq: ++seq,
    at: at(),
    source: 'engine',
    agent,
    attempt: 1,
    event,
  });
  return [
    runner({
      type: 'run_started',
      name: 'calc',
      inputs: {
        pipelineFile: 'p.yaml',
        pipelineText: '',
        fleetFile: 'f.yaml',
        fleetText: '',
        workspace: '/tmp/w',
        strategy: 'best',
        emulated: true,
      },
      plan: {
        strategy: 'sequential',
        makespanSeconds: 600,
        order: ['architect', 'coder'],
        slots: [],
        loads: [],
      },
    }),
    runner({ type: 'attempt_started', agent: 'architect', attempt: 1, specialists: ['quality'], hints: [] }),
    engine('architect', {
      type: 'model_call',
      at: at(),
      step: 0,
      callId: '0.0',
      purpose: 'specialist',
      alias: 'quality',
      model: 'qwen2.5:32b',
      server: 'mini',
      tokensIn: 900,
      tokensOut: 100,
      rung: 3,
      result: { ok: true, text: '', toolCalls: [] },
    }),
    engine('architect', {
      type: 'heal',
      at: at(),
      step: 1,
      kind: 'failed_check',
      action: 'retry with the output',
    }),
  ];
}

const ESC = String.fromCharCode(27);

/** a terminal: applies "cursor up N lines" + "erase below" as a real one does, keeps the screen */
function fakeTerminal(): { write: (text: string) => void; screen: () => string[] } {
  let screen: string[] = [];
  return {
    write(text) {
      let rest = text;
      const up = new RegExp(`^${ESC}\\[(\\d+)F${ESC}\\[J`).exec(rest);
      if (up) {
        screen = screen.slice(0, screen.length - Number(up[1]));
        rest = rest.slice(up[0].length);
      }
      screen.push(...rest.replace(/\n$/, '').split('\n'));
    },
    screen: () => screen,
  };
}

function drive(mode: ProgressMode, write: (t: string) => void, columns?: number): void {
  const sink = progressSink(mode, write, { columns: () => columns });
  const events = eventsOfRun();
  events.forEach((e, i) => {
    sink.onEvent(e, foldRun('run-1', events.slice(0, i + 1)));
    if (i === 1) sink.onResidency('mini', ['qwen2.5:32b']);
  });
  sink.onResidency('box', []);
  sink.close();
}

describe('progress on a TTY', () => {
  it('shows each agent with state, model, server, elapsed, tokens, repairs, heals, and residency', () => {
    const tty = fakeTerminal();
    drive('tty', tty.write, 200);
    const screen = tty.screen();
    expect(screen[0]).toBe('run run-1 (calc): running');
    expect(screen[1]!.trim().split(/\s+/)).toEqual([
      'agent',
      'state',
      'model',
      'server',
      'elapsed',
      'tokens',
      'repairs',
      'heals',
    ]);
    expect(screen[2]!.trim().split(/\s+/)).toEqual([
      'architect',
      'running',
      'qwen2.5:32b',
      'mini',
      '20s',
      '1000',
      '1',
      '1',
    ]);
    expect(screen[3]!.trim().split(/\s+/).slice(0, 2)).toEqual(['coder', 'pending']);
    expect(screen.slice(4)).toEqual(['mini: qwen2.5:32b', 'box: (nothing loaded)']);
  });

  it('redraws in place within the terminal width, so the frame never grows', () => {
    const tty = fakeTerminal();
    drive('tty', tty.write, 30);
    const screen = tty.screen();
    expect(screen).toHaveLength(6);
    for (const line of screen) expect(line.length).toBeLessThanOrEqual(29);
    expect(screen[2]!.startsWith('architect')).toBe(true);
    expect(screen[2]!.endsWith('…')).toBe(true);
  });
});

describe('progress without a TTY', () => {
  it('prints one line per event', () => {
    const out: string[] = [];
    drive('lines', (t) => out.push(t));
    expect(out).toHaveLength(4);
    expect(out.every((t) => t.endsWith('\n') && t.indexOf('\n') === t.length - 1)).toBe(true);
    expect(out[2]).toContain(
      'architect#1 model specialist quality -> qwen2.5:32b: 900 in, 100 out, repaired (rung 3)',
    );
    expect(out[3]).toContain('architect#1 engine heal failed_check: retry with the output');
  });

  it('prints the events as JSON lines with --json', () => {
    const out: string[] = [];
    drive('json', (t) => out.push(t));
    const parsed = out.map((t) => JSON.parse(t) as Record<string, unknown>);
    expect(parsed.map((p) => p.type)).toEqual(['run_started', 'attempt_started', 'model_call', 'heal']);
    expect(parsed[2]).toMatchObject({ seq: 3, agent: 'architect', server: 'mini', tokensIn: 900 });
  });
});
