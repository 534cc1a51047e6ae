// Executes a run in this process for `run`, `runs resume` and `runs answer`: progress, Ctrl-C
// (stops cleanly; the run stays resumable), the summary and the HTML report.
import { existsSync, writeFileSync } from 'node:fs';
import { composeGateway } from '../../app.ts';
import { engineParts } from '../../runner/engine-port.ts';
import { progressSink, type ProgressMode } from '../../runner/run-progress.ts';
import { readRun } from '../../runner/run-log.ts';
import { runReportHtml } from '../../runner/run-report-html.ts';
import { runSummaryLines } from '../../runner/run-summary.ts';
import { continueRun } from '../../runner/run-session.ts';
import { openUsageStore } from '../../store/index.ts';
import type { RunStore } from '../../store/run-store.ts';
import type { CliIO } from '../command.ts';

export function outputMode(json: boolean | undefined): ProgressMode {
  return json ? 'json' : process.stdout.isTTY ? 'tty' : 'lines';
}

/** exits with this code when the run is interrupted (Ctrl-C): 128 + SIGINT */
export const EXIT_INTERRUPTED = 130;
/** exits with this code when the run was cancelled (`orchestra runs cancel`), as for a failure */
export const EXIT_CANCELLED = 1;

/** Ctrl-C (SIGINT) and SIGTERM abort `signal` instead of killing the process, until disposed. */
export function interruptOnSignals(): { signal: AbortSignal; dispose: () => void } {
  const abort = new AbortController();
  const onSignal = (): void => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: abort.signal,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

export async function executeInForeground(o: {
  store: RunStore;
  runId: string;
  io: CliIO;
  mode: ProgressMode;
  env: Readonly<Record<string, string | undefined>>;
  html?: string;
  /** print the events already logged first (a new run: its start and plan) */
  showLogged?: boolean;
  /** an interrupt handler installed earlier (by `run`, before it created the run) */
  interrupt?: { signal: AbortSignal; dispose: () => void };
}): Promise<number> {
  const { io } = o;
  const parts = engineParts();
  const sink = progressSink(o.mode, (text) => process.stdout.write(text), {
    columns: () => process.stdout.columns,
  });
  const interrupt = o.interrupt ?? interruptOnSignals();
  if (o.showLogged) {
    const logged = readRun(o.store, o.runId);
    for (const e of logged.events) sink.onEvent(e, logged.view);
  }
  const pauseAt = Number(o.env.ORCHESTRA_RUN_PAUSE_AT_SEQ ?? NaN);
  const usage = openUsageStore(':memory:');
  try {
    const view = await continueRun(o.runId, {
      composeGateway,
      store: o.store,
      usage,
      engine: parts,
      env: o.env,
      signal: interrupt.signal,
      hooks: {
        onEvent: (event, v) => {
          sink.onEvent(event, v);
          // test hook: freeze right after event N is committed, so a kill lands exactly there
          if (event.seq === pauseAt) pauseForever(event.seq, o.env.ORCHESTRA_RUN_HOLD_FILE);
        },
        // what each server holds, as the gateway's scheduler sees it: real or emulated servers
        onServers: (servers) => {
          for (const sv of servers)
            sink.onResidency(sv.name, [...sv.resident, ...(sv.loading ? [`${sv.loading} (loading)`] : [])]);
        },
      },
    });
    sink.close();
    if (o.mode !== 'json') for (const line of runSummaryLines(readRun(o.store, o.runId))) io.out(line);
    if (o.html) {
      writeFileSync(o.html, runReportHtml(readRun(o.store, o.runId)));
      if (o.mode !== 'json') io.out(`report: ${o.html}`);
    }
    // `runs cancel` in another process marks the run in the store and signals this one: the
    // store, not this process's view, says whether the run was cancelled or only interrupted
    const stored = readRun(o.store, o.runId).view.status;
    if (stored === 'cancelled' || view.status === 'cancelled') {
      io.err(`run ${o.runId} was cancelled (orchestra runs cancel); it cannot be resumed`);
      return EXIT_CANCELLED;
    }
    if (interrupt.signal.aborted) {
      io.err(`interrupted: resume with orchestra runs resume ${o.runId}`);
      return EXIT_INTERRUPTED;
    }
    if (view.status === 'waiting' && view.question)
      io.out(`waiting: ${view.question.question}\nanswer with: orchestra runs answer ${o.runId} "TEXT"`);
    return view.status === 'failed' ? 1 : 0;
  } finally {
    interrupt.dispose();
    usage.close();
  }
}

/**
 * Test hook: freezes the process (no event is handled, not even a signal) after event `seq`:
 * for good, or while the file ORCHESTRA_RUN_HOLD_FILE exists, so a test can act on the run in
 * that state (cancel it from another process) and then let it go on.
 */
function pauseForever(seq: number, holdFile: string | undefined): void {
  process.stderr.write(`paused after event ${seq}\n`);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  if (holdFile === undefined) Atomics.wait(cell, 0, 0);
  else while (existsSync(holdFile)) Atomics.wait(cell, 0, 0, 20);
}
