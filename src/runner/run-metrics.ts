// The figures of a run, measured from its log (pure): the seeds' four success metrics (004: tool
// calls 90%+, recovery in under 2 iterations, 50%+ fewer prompt tokens, 70%+ healed without the
// user), tool calls by repair rung, heals, tokens, loads and waits.
import type { FleetConfig } from '../config/index.ts';
import type { FailureKind } from '../engine/engine-types.ts';
import { savingsBaseline } from '../store/savings.ts';
import type { AliasUsage, LoggedEvent, PlannedLoad } from './run-events.ts';
import type { RunView } from './run-state.ts';

export interface RunMetrics {
  toolCalls: {
    /** calls the models tried to make: valid ones plus those no rung could make valid */
    attempted: number;
    /** valid at rung 1 (native, first try) and executed */
    firstTry: number;
    /** valid after a repair rung (2-6) and executed */
    afterRepair: number;
    /** valid but the tool failed */
    failedExecution: number;
    invalid: number;
    /** replies by the highest rung their calls needed: rung -> replies */
    byRung: Record<string, number>;
    /** (firstTry + afterRepair) / attempted */
    successRate: number | null;
    firstTryRate: number | null;
  };
  recovery: {
    failures: number;
    recovered: number;
    /** mean model calls (engine) or attempts (runner) from a failure to its recovery */
    meanIterations: number | null;
    maxIterations: number | null;
  };
  promptTokens: { dynamic: number; static: number; reduction: number | null };
  healing: {
    /** incidents: one kind of failure of one agent until progress follows */
    failures: number;
    /** failure events (an incident's retries each add one) */
    failureEvents: number;
    healedWithoutUser: number;
    askedUser: number;
    share: number | null;
    byKind: Partial<Record<FailureKind, number>>;
    byAction: Record<string, number>;
  };
  tokens: { input: number; output: number; localInput: number; localOutput: number };
  savedUsd: number | null;
  baselineModel?: string;
  perAlias: AliasUsage[];
  loads: PlannedLoad[];
  modelCalls: number;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function runMetrics(view: RunView, events: readonly LoggedEvent[], fleet?: FleetConfig): RunMetrics {
  const byRung: Record<string, number> = {};
  let valid1 = 0;
  let validRepaired = 0;
  let invalid = 0;
  const invalidSeen = new Set<string>();
  let failedExecution = 0;
  let dyn = 0;
  let stat = 0;
  let modelCalls = 0;
  const tokens = { input: 0, output: 0, localInput: 0, localOutput: 0 };
  const local = localModels(fleet);
  const perAlias = new Map<string, AliasUsage>();
  const loads: PlannedLoad[] = [];
  for (const e of events) {
    if (e.source === 'runner') {
      if (e.event.type === 'usage') {
        loads.push(...e.event.loads);
        for (const u of e.event.perAlias) perAlias.set(u.alias, merge(perAlias.get(u.alias), u));
      }
      continue;
    }
    const ev = e.event;
    if (ev.type === 'model_call') {
      modelCalls++;
      tokens.input += ev.tokensIn;
      tokens.output += ev.tokensOut;
      if (local === undefined || local.has(ev.model)) {
        tokens.localInput += ev.tokensIn;
        tokens.localOutput += ev.tokensOut;
      }
      if (ev.promptTokens) {
        dyn += ev.promptTokens.dynamic;
        stat += ev.promptTokens.static;
      }
      const calls = ev.result.ok ? ev.result.toolCalls.length : 0;
      if (calls > 0) {
        const rung = ev.rung ?? 1;
        byRung[String(rung)] = (byRung[String(rung)] ?? 0) + 1;
        if (rung === 1) valid1 += calls;
        else validRepaired += calls;
      }
    } else if (
      (ev.type === 'failure' || ev.type === 'heal') &&
      (ev.kind === 'invalid_tool_call' || ev.kind === 'unknown_tool')
    ) {
      // the engine logs a failure, a heal (a re-ask), or both for one bad call: count it once
      const key = `${e.agent}#${e.attempt}#${ev.step}#${ev.kind}`;
      if (!invalidSeen.has(key)) invalid++;
      invalidSeen.add(key);
    } else if (ev.type === 'tool_effect' && !ev.result.ok) failedExecution++;
  }
  // a failed execution is charged to the repaired calls first only when no first-try call exists
  const failedFirst = Math.min(failedExecution, valid1);
  const firstTry = valid1 - failedFirst;
  const afterRepair = Math.max(0, validRepaired - (failedExecution - failedFirst));
  const attempted = valid1 + validRepaired + invalid;
  const baseline = fleet ? savingsBaseline(fleet) : undefined;
  return {
    toolCalls: {
      attempted,
      firstTry,
      afterRepair,
      failedExecution,
      invalid,
      byRung,
      successRate: ratio(firstTry + afterRepair, attempted),
      firstTryRate: ratio(firstTry, attempted),
    },
    recovery: recoveryOf(events),
    promptTokens: { dynamic: dyn, static: stat, reduction: stat > 0 ? 1 - dyn / stat : null },
    healing: healingOf(view, events),
    tokens,
    savedUsd: baseline
      ? (tokens.localInput * baseline.inputPerMTok + tokens.localOutput * baseline.outputPerMTok) / 1e6
      : null,
    ...(baseline ? { baselineModel: baseline.model } : {}),
    perAlias: [...perAlias.values()],
    loads,
    modelCalls,
  };
}

function localModels(fleet?: FleetConfig): Set<string> | undefined {
  if (!fleet) return undefined;
  const servers = new Set(fleet.servers.filter((s) => s.kind === 'ollama').map((s) => s.name));
  return new Set(fleet.models.filter((m) => m.servers.some((s) => servers.has(s))).map((m) => m.name));
}

function merge(a: AliasUsage | undefined, b: AliasUsage): AliasUsage {
  if (!a) return { ...b };
  return {
    alias: a.alias,
    requests: a.requests + b.requests,
    errors: a.errors + b.errors,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
    localInputTokens: a.localInputTokens + b.localInputTokens,
    localOutputTokens: a.localOutputTokens + b.localOutputTokens,
    queueMs: a.queueMs + b.queueMs,
    maxQueueMs: Math.max(a.maxQueueMs, b.maxQueueMs),
    loadMs: a.loadMs + b.loadMs,
  };
}

/**
 * Iterations from a failure to its recovery: arbiter steps (one decision each) from the failure
 * to the progress that follows it inside the attempt (a consultation that changed files, a passed
 * check, the agent succeeding); across attempts, the attempts until the agent succeeds.
 */
function recoveryOf(events: readonly LoggedEvent[]): RunMetrics['recovery'] {
  const counted = attemptsWithEngineFailures(events);
  const iterations: number[] = [];
  let failures = 0;
  const open = new Map<string, number>(); // agent#attempt -> step of its first unrecovered failure
  const failedAttempts = new Map<string, number>(); // agent -> first failed attempt not yet recovered
  for (const e of events) {
    if (e.source === 'engine') {
      const key = `${e.agent}#${e.attempt}`;
      const ev = e.event;
      if (ev.type === 'failure') {
        failures++;
        if (!open.has(key)) open.set(key, ev.step);
      } else if (
        open.has(key) &&
        ((ev.type === 'consultation' && ev.valid && ev.filesChanged.length > 0) ||
          (ev.type === 'check' && ev.passed) ||
          (ev.type === 'agent_finished' && ev.outcome.status === 'succeeded'))
      ) {
        iterations.push(Math.max(1, ev.step - open.get(key)!));
        open.delete(key);
      }
      continue;
    }
    const ev = e.event;
    if (ev.type === 'attempt_finished' && ev.outcome.status === 'failed') {
      if (!counted.has(`${ev.agent}#${ev.attempt}`)) {
        failures++;
        if (!failedAttempts.has(ev.agent)) failedAttempts.set(ev.agent, ev.attempt);
      }
    } else if (
      ev.type === 'attempt_finished' &&
      ev.outcome.status === 'succeeded' &&
      failedAttempts.has(ev.agent)
    ) {
      iterations.push(ev.attempt - failedAttempts.get(ev.agent)!);
      failedAttempts.delete(ev.agent);
    }
  }
  return {
    failures,
    recovered: iterations.length,
    meanIterations: iterations.length ? iterations.reduce((a, b) => a + b, 0) / iterations.length : null,
    maxIterations: iterations.length ? Math.max(...iterations) : null,
  };
}

/**
 * Failure incidents and how they ended. An incident is one kind of failure of one agent, from its
 * first failure event until progress follows (a valid consultation, a passed check, the agent
 * succeeding): retries of the same fault are one incident. It is healed without the user when no
 * question went to the user while it was open.
 */
function healingOf(view: RunView, events: readonly LoggedEvent[]): RunMetrics['healing'] {
  const counted = attemptsWithEngineFailures(events);
  const byKind: Partial<Record<FailureKind, number>> = {};
  const byAction: Record<string, number> = {};
  const open = new Map<string, { agent: string; asked: boolean }>();
  let healed = 0;
  let asked = 0;
  let failures = 0;
  let failureEvents = 0;
  const fail = (agent: string, kind: FailureKind): void => {
    failureEvents++;
    const key = `${agent}|${kind}`;
    if (open.has(key)) return;
    failures++;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    open.set(key, { agent, asked: false });
  };
  // a question to the user counts against every incident of the agent until its next progress
  const askedSince = new Set<string>();
  const progress = (agent: string): void => {
    for (const [key, inc] of open)
      if (inc.agent === agent) {
        if (inc.asked || askedSince.has(agent)) asked++;
        else healed++;
        open.delete(key);
      }
    askedSince.delete(agent);
  };
  const ask = (agent: string): void => {
    askedSince.add(agent);
    for (const inc of open.values()) if (inc.agent === agent) inc.asked = true;
  };
  for (const e of events) {
    if (e.source === 'engine') {
      const ev = e.event;
      if (ev.type === 'failure') fail(e.agent, ev.kind);
      else if (ev.type === 'loop_detected') fail(e.agent, 'loop_detected');
      else if (ev.type === 'heal') {
        // the engine heals some failures (a call it re-asks) without logging a failure first
        fail(e.agent, ev.kind);
        failureEvents--;
        byAction[`engine:${ev.action}`] = (byAction[`engine:${ev.action}`] ?? 0) + 1;
      } else if (ev.type === 'ask_user') ask(e.agent);
      else if (
        (ev.type === 'consultation' && ev.valid && ev.filesChanged.length > 0) ||
        (ev.type === 'check' && ev.passed)
      )
        progress(e.agent);
      continue;
    }
    const ev = e.event;
    if (
      ev.type === 'attempt_finished' &&
      ev.outcome.status === 'failed' &&
      !counted.has(`${ev.agent}#${ev.attempt}`)
    )
      fail(ev.agent, ev.outcome.failure);
    if (ev.type === 'heal') byAction[ev.action] = (byAction[ev.action] ?? 0) + 1;
    if (ev.type === 'ask_user') ask(ev.agent);
    if (ev.type === 'agent_done' && ev.status === 'succeeded') progress(ev.agent);
  }
  void view;
  return {
    failures,
    failureEvents,
    healedWithoutUser: healed,
    askedUser: asked,
    share: ratio(healed, failures),
    byKind,
    byAction,
  };
}

/** attempts whose failures the engine logged itself (their runner-level failure is the same one) */
function attemptsWithEngineFailures(events: readonly LoggedEvent[]): Set<string> {
  const out = new Set<string>();
  for (const e of events)
    if (e.source === 'engine' && e.event.type === 'failure') out.add(`${e.agent}#${e.attempt}`);
  return out;
}
