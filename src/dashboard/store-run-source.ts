// The runs page's RunSource over the runner's run store (src/store/run-store.ts): each run is the
// runner's own fold of its event log. Runs executed by another process (`orchestra run` on the
// command line, against the same store file) are seen by looking at the store's change stamp
// (SQLite's data_version, one cheap query) once a second while a page listens: the only polling the
// dashboard does, since another process's appends send no notification. An answer is recorded as `orchestra runs answer` records
// it, then the run is resumed in a process of its own (runner/resume-process.ts).
import { AppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';
import { answerRun } from '../runner/run-answer.ts';
import type { LoggedEvent } from '../runner/run-events.ts';
import { readRun } from '../runner/run-log.ts';
import { isFinal, type RunView } from '../runner/run-state.ts';
import type { ResumeStarter } from '../runner/resume-process.ts';
import { processAlive, type RunStore } from '../store/run-store.ts';
import type { AnswerResult, RunSource } from './run-source.ts';
import { runDetail, runSummary } from './run-view.ts';

/** ms between two looks at the store for runs written by another process */
export const RUN_POLL_MS = 1000;
/** the latest runs the list shows */
export const RUNS_SHOWN = 200;

export interface StoreRunSourceOptions {
  pollMs?: number;
  /** starts `orchestra runs resume` for an answered run; without it the user is told to */
  resume?: ResumeStarter;
  /** whether a process runs; process.kill(pid, 0) by default */
  isAlive?: (pid: number) => boolean;
  /** the wall clock for answers' times (the dashboard's clock is a scheduler's) */
  wallNow?: () => number;
}

export function storeRunSource(store: RunStore, clock: Clock, o: StoreRunSourceOptions = {}): RunSource {
  const pollMs = o.pollMs ?? RUN_POLL_MS;
  const isAlive = o.isAlive ?? processAlive;
  const wallNow = o.wallNow ?? (() => clock.now());
  // the folds of the runs listed, and the log of the one run a page details (logs can be long)
  const cache = new Map<string, { events: number; view: RunView }>();
  let detailed: { runId: string; events: number; log: LoggedEvent[] } | undefined;
  const listeners = new Set<() => void>();
  let stamp = 0;
  let liveness = '';
  let cancel: (() => void) | undefined;

  const read = (runId: string, events: number, withLog = false) => {
    const hit = cache.get(runId);
    const logHit = detailed?.runId === runId && detailed.events === events ? detailed.log : undefined;
    if (hit && hit.events === events && (!withLog || logHit)) return { view: hit.view, log: logHit ?? [] };
    const { view, events: log } = readRun(store, runId);
    cache.set(runId, { events: log.length, view });
    if (withLog) detailed = { runId, events: log.length, log };
    return { view, log };
  };
  const executorOf = (v: RunView) => {
    const pid = store.owner(v.id);
    // a finished run's executor has let go or died: nothing to show
    return pid === undefined || isFinal(v.status) ? undefined : { pid, alive: isAlive(pid) };
  };
  /** whether the executors of the unfinished runs shown still run: one indexed query per run */
  const livenessNow = (): string =>
    [...cache.values()]
      .filter((c) => !isFinal(c.view.status))
      .map((c) => {
        const pid = store.owner(c.view.id);
        return pid === undefined ? '' : `${c.view.id}:${pid}:${isAlive(pid)}`;
      })
      .join(',');
  const notify = (): void => {
    for (const l of listeners) l();
  };
  const poll = (): void => {
    cancel = undefined;
    if (listeners.size === 0) return;
    try {
      // another process's commits, or an executor that died without letting go of its run
      const now = store.changeStamp();
      const alive = livenessNow();
      if (now !== stamp || alive !== liveness) {
        stamp = now;
        liveness = alive;
        notify();
      }
    } finally {
      cancel = clock.timer(pollMs, poll);
    }
  };
  const row = (id: string) => store.runs().find((r) => r.runId === id);

  return {
    list() {
      const shown = store
        .runs()
        .slice(0, RUNS_SHOWN)
        .map((r) => read(r.runId, r.events).view)
        .filter((v) => v.inputs !== undefined)
        .map((v) => runSummary(v, executorOf(v)));
      // the pages now know who executes each run: the poll tells them when that changes
      liveness = livenessNow();
      return shown;
    },
    get(id) {
      const r = row(id);
      if (!r) return undefined;
      const { view, log } = read(id, r.events, true);
      if (!view.inputs) return undefined;
      return runDetail(view, log, wallNow(), executorOf(view));
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!cancel) {
        stamp = store.changeStamp();
        liveness = livenessNow();
        cancel = clock.timer(pollMs, poll);
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
          cancel?.();
          cancel = undefined;
        }
      };
    },
    answer(id, text) {
      try {
        const r = row(id);
        const view = r ? read(id, r.events).view : undefined;
        if (!view?.inputs) throw new AppError('not_found', `no run ${id}`);
        // the process that asked may not have exited yet: answering now would start a second
        // executor the store refuses, leaving an answered run nobody runs
        const held = executorOf(view);
        if (held?.alive && held.pid !== process.pid)
          throw new AppError(
            'bad_request',
            `run ${id} is still held by process ${held.pid}; answer again once it has stopped`,
          );
        answerRun(store, view, text, wallNow());
        const result = resumeAnswered(id, o.resume);
        notify();
        return Promise.resolve(result);
      } catch (e) {
        return Promise.reject(e instanceof Error ? e : new Error(String(e)));
      }
    },
  };
}

/** the answer is recorded whatever happens here: a failed start tells the user how to go on */
function resumeAnswered(id: string, resume: ResumeStarter | undefined): AnswerResult {
  const how = `resume it with: orchestra runs resume ${id}`;
  if (!resume) return { note: `the answer is recorded; ${how}` };
  try {
    return { resumed: resume(id) };
  } catch (e) {
    return {
      note: `the answer is recorded, but the run could not be resumed here (${(e as Error).message}); ${how}`,
    };
  }
}
