// Progress of a run: a live table on a TTY (agents with state, model, server, elapsed, tokens,
// repairs, heals; residency per server), one line per event without a TTY, or the events as JSON
// lines. The table redraws in place: each line is cut to the terminal's width, so a wrapped line
// never throws off the cursor movement.
import type { LoggedEvent } from './run-events.ts';
import type { RunView } from './run-state.ts';

export type ProgressMode = 'tty' | 'lines' | 'json';

export interface ProgressSink {
  onEvent(event: LoggedEvent, view: RunView): void;
  onResidency(server: string, models: readonly string[]): void;
  /** the last frame (TTY) before the summary */
  close(): void;
}

export interface ProgressOptions {
  /** the terminal's width now (TTY), undefined when unknown */
  columns?: () => number | undefined;
}

export function progressSink(
  mode: ProgressMode,
  write: (text: string) => void,
  options: ProgressOptions = {},
): ProgressSink {
  const residency = new Map<string, readonly string[]>();
  let lastView: RunView | undefined;
  let drawn = 0;
  const redraw = (): void => {
    if (!lastView) return;
    const lines = fitWidth(liveTable(lastView, residency), options.columns?.());
    write(`${drawn > 0 ? `\x1b[${drawn}F\x1b[J` : ''}${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  return {
    onEvent(event, view) {
      lastView = view;
      if (mode === 'json') write(`${JSON.stringify(eventJson(event))}\n`);
      else if (mode === 'lines') write(`${eventLine(event, view)}\n`);
      else redraw();
    },
    onResidency(server, models) {
      residency.set(server, models);
      if (mode === 'tty') redraw();
    },
    close() {
      if (mode === 'tty') redraw();
    },
  };
}

/** each line cut to `columns - 1` characters (the last column would wrap on some terminals) */
export function fitWidth(lines: readonly string[], columns: number | undefined): string[] {
  if (columns === undefined || !(columns > 1)) return [...lines];
  const max = columns - 1;
  return lines.map((l) => (l.length <= max ? l : `${l.slice(0, Math.max(0, max - 1))}…`));
}

export function eventJson(e: LoggedEvent): Record<string, unknown> {
  return e.source === 'engine'
    ? { seq: e.seq, source: e.source, agent: e.agent, attempt: e.attempt, ...e.event }
    : { seq: e.seq, at: e.at, source: e.source, ...e.event };
}

function clockText(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}

/** one line per event: time, agent, what happened */
export function eventLine(e: LoggedEvent, view: RunView): string {
  const t = clockText(e.at);
  if (e.source === 'engine') {
    const ev = e.event;
    const who = `${e.agent}#${e.attempt}`;
    switch (ev.type) {
      case 'model_call':
        return `${t} ${who} model ${ev.purpose} ${ev.alias} -> ${ev.model}: ${ev.tokensIn} in, ${ev.tokensOut} out${ev.rung && ev.rung > 1 ? `, repaired (rung ${ev.rung})` : ''}${ev.result.ok ? '' : `, error: ${ev.result.error}`}`;
      case 'tool_effect':
        return `${t} ${who} tool ${ev.tool} ${ev.result.ok ? 'ok' : 'failed'}${ev.result.filesChanged?.length ? ` (${ev.result.filesChanged.join(', ')})` : ''}`;
      case 'decision':
        return `${t} ${who} decision ${ev.decision.action}${ev.source !== 'model' ? ` (${ev.source})` : ''}`;
      case 'check':
        return `${t} ${who} check ${ev.passed ? 'passed' : 'failed'}`;
      case 'failure':
        return `${t} ${who} failure ${ev.kind}: ${ev.detail.split('\n')[0]}`;
      case 'heal':
        return `${t} ${who} engine heal ${ev.kind}: ${ev.action}`;
      default:
        return `${t} ${who} ${ev.type}`;
    }
  }
  const ev = e.event;
  switch (ev.type) {
    case 'run_started':
      return `${t} run ${view.id} started: ${ev.name}, plan ${ev.plan.strategy} (${(ev.plan.makespanSeconds / 60).toFixed(1)} min), order ${ev.plan.order.join(', ')}`;
    case 'attempt_started':
      return `${t} ${ev.agent}#${ev.attempt} started on ${ev.specialists[0] ?? '?'}`;
    case 'attempt_finished':
      return `${t} ${ev.agent}#${ev.attempt} ${ev.outcome.status}${ev.outcome.status === 'failed' ? ` (${ev.outcome.failure}: ${ev.outcome.message.split('\n')[0]})` : ''}`;
    case 'heal':
      return `${t} ${ev.agent} heal ${ev.failure} -> ${ev.action}`;
    case 'checkpoint':
      return `${t} checkpoint ${ev.id}`;
    case 'rollback':
      return `${t} ${ev.agent} rolled back to ${ev.checkpoint}`;
    case 'replanned':
      return `${t} re-planned: ${ev.order.join(', ')}`;
    case 'ask_user':
      return `${t} ${ev.agent} asks: ${ev.question}`;
    case 'answer':
      return `${t} ${ev.agent} answered: ${ev.text}`;
    case 'agent_done':
      return `${t} ${ev.agent} ${ev.status}${ev.filesChanged.length ? ` (files: ${ev.filesChanged.join(', ')})` : ''}`;
    case 'cancel_requested':
      return `${t} cancel requested`;
    case 'run_finished':
      return `${t} run ${ev.state}: ${ev.message}`;
    case 'usage':
      return `${t} usage: ${ev.perAlias.map((u) => `${u.alias} ${u.requests} calls`).join(', ')}; ${ev.loads.length} loads`;
  }
}

export function liveTable(view: RunView, residency: ReadonlyMap<string, readonly string[]>): string[] {
  const now = view.updatedAt ?? 0;
  const rows = view.order.map((id) => {
    const a = view.agents[id]!;
    const elapsed = a.startedAt === undefined ? 0 : ((a.finishedAt ?? now) - a.startedAt) / 1000;
    return [
      id,
      a.status,
      a.model ?? a.specialists[0] ?? '',
      a.server ?? '',
      `${elapsed.toFixed(0)}s`,
      String(a.tokensIn + a.tokensOut),
      String(a.repairs),
      String(a.heals),
    ];
  });
  const header = ['agent', 'state', 'model', 'server', 'elapsed', 'tokens', 'repairs', 'heals'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]): string => r.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  return [
    `run ${view.id} (${view.name}): ${view.status}`,
    fmt(header),
    ...rows.map(fmt),
    ...[...residency].map(([s, models]) => `${s}: ${models.length ? models.join(', ') : '(nothing loaded)'}`),
  ];
}
