// A run as the runs page shows it, from the runner's own fold of its event log (run-state.ts):
// the list's summary, and the detail with each agent's planned and actual span, heals and events.
import type { LoggedEvent } from '../runner/run-events.ts';
import { eventLine } from '../runner/run-progress.ts';
import { isFinal, type RunView } from '../runner/run-state.ts';
import type { RunDetail, RunSummary } from './run-source.ts';

/** events the detail shows, the latest */
export const EVENTS_SHOWN = 60;

export function runSummary(v: RunView, executor?: { pid: number; alive: boolean }): RunSummary {
  const agents = Object.values(v.agents);
  const planned = new Set([...v.order, ...agents.map((a) => a.id)]);
  return {
    id: v.id,
    pipeline: v.name,
    state: v.status,
    emulated: v.inputs?.emulated ?? false,
    ...(v.startedAt !== undefined ? { startedAtMs: v.startedAt } : {}),
    ...(isFinal(v.status) && v.updatedAt !== undefined ? { finishedAtMs: v.updatedAt } : {}),
    ...(v.updatedAt !== undefined ? { updatedAtMs: v.updatedAt } : {}),
    agents: planned.size,
    agentsDone: agents.filter((a) => a.status === 'succeeded').length,
    heals: v.heals.length,
    ...(v.question ? { question: v.question.question } : {}),
    ...(v.message !== undefined ? { message: v.message } : {}),
    ...(executor ? { executor } : {}),
  };
}

/** `now` is the wall clock, for the open spans of a live run that is not emulated */
export function runDetail(
  v: RunView,
  log: readonly LoggedEvent[],
  now: number,
  executor?: { pid: number; alive: boolean },
): RunDetail {
  const start = v.startedAt ?? 0;
  const slots = new Map((v.plan?.slots ?? []).map((s) => [s.agent, s]));
  const ids = [...new Set([...v.order, ...Object.keys(v.agents)])];
  const live = !isFinal(v.status) && executor?.alive === true && !v.inputs?.emulated;
  const last = v.updatedAt ?? start;
  return {
    ...runSummary(v, executor),
    spanNowMs: (live ? Math.max(now, last) : last) - start,
    agentsList: ids.map((id) => {
      const a = v.agents[id];
      const slot = slots.get(id);
      const model = a?.model ?? slot?.model;
      return {
        id,
        state: a?.status ?? 'pending',
        ...(model !== undefined ? { model } : {}),
        ...(slot ? { server: slot.server } : {}),
        ...(slot
          ? { planned: { startMs: slot.start * 1000, endMs: slot.end * 1000, server: slot.server } }
          : {}),
        ...(a?.startedAt !== undefined
          ? {
              actual: {
                startMs: a.startedAt - start,
                ...(a.finishedAt !== undefined ? { endMs: a.finishedAt - start } : {}),
              },
            }
          : {}),
        tokens: (a?.tokensIn ?? 0) + (a?.tokensOut ?? 0),
        repairs: a?.repairs ?? 0,
        heals: a?.heals ?? 0,
      };
    }),
    healEvents: v.heals.map((h) => ({
      atMs: h.at,
      agent: h.agent,
      kind: h.failure,
      action: h.action,
      detail: h.detail,
    })),
    events: log.slice(-EVENTS_SHOWN).map((e) => ({
      seq: e.seq,
      atMs: e.at,
      type: e.event.type,
      ...(e.source === 'engine'
        ? { agent: e.agent }
        : 'agent' in e.event
          ? { agent: String(e.event.agent) }
          : {}),
      // the runner's own one-line text of the event, without its clock time (the page shows it)
      summary: eventLine(e, v).replace(/^\S+\s/, ''),
    })),
  };
}
