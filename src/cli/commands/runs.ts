// `orchestra runs`: list, show, resume, answer and cancel the runs in a run store.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { envSnapshot, loadFleetFile } from '../../config/index.ts';
import { answerRun, nextEventTime } from '../../runner/run-answer.ts';
import { readRun } from '../../runner/run-log.ts';
import { eventJson } from '../../runner/run-progress.ts';
import { runReportHtml } from '../../runner/run-report-html.ts';
import { isFinal } from '../../runner/run-state.ts';
import { runSummaryLines } from '../../runner/run-summary.ts';
import { storePathFor } from '../../store/index.ts';
import { openRunStore, type RunStore } from '../../store/run-store.ts';
import { parseFlags, UsageError, type CliIO, type Command } from '../command.ts';
import { executeInForeground, outputMode } from './run-foreground.ts';

const SUBCOMMANDS = ['list', 'show', 'resume', 'answer', 'cancel'] as const;

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list, show, resume, answer or cancel pipeline runs',
  help: `Usage:
  orchestra runs list                 [--config FLEET | --store FILE] [--json]
  orchestra runs show ID              [--config FLEET | --store FILE] [--json] [--html FILE]
  orchestra runs resume ID            [--config FLEET | --store FILE] [--json] [--html FILE]
  orchestra runs answer ID TEXT       [--config FLEET | --store FILE] [--json] [--html FILE]
  orchestra runs cancel ID            [--config FLEET | --store FILE]

The store is the fleet's gateway.storePath (read from --config, default orchestra.yaml), or --store.
resume goes on from the last logged step: a model call in flight is asked again, a tool effect that
was logged is not applied again. answer gives a waiting run (state waiting) the user's answer and
resumes it. cancel stops a run (signals the process executing it) and marks it cancelled.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      config: { type: 'string' },
      store: { type: 'string' },
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
    });
    const [sub, id, ...rest] = positionals;
    if (!sub || !(SUBCOMMANDS as readonly string[]).includes(sub))
      throw new UsageError(`expected one of ${SUBCOMMANDS.join(', ')}, found ${JSON.stringify(sub ?? '')}`);
    const store = openRunStore(storePath(values.store, values.config));
    try {
      if (sub === 'list') return list(store, io, values.json);
      if (!id) throw new UsageError(`runs ${sub}: expected a run ID`);
      const run = readRun(store, id);
      if (!run.view.inputs)
        throw new UsageError(
          `no run ${JSON.stringify(id)} in ${store.path} (orchestra runs list shows the runs)`,
        );
      const html = values.html ? resolve(values.html) : undefined;
      const fg = {
        store,
        runId: id,
        io,
        mode: outputMode(values.json),
        env: envSnapshot(),
        ...(html ? { html } : {}),
      };
      switch (sub) {
        case 'show':
          if (values.json) io.out(JSON.stringify({ run: run.view, events: run.events.map(eventJson) }));
          else for (const line of runSummaryLines(run)) io.out(line);
          if (html) {
            writeFileSync(html, runReportHtml(run));
            if (!values.json) io.out(`report: ${html}`);
          }
          return 0;
        case 'resume':
          if (isFinal(run.view.status)) {
            io.out(`run ${id} has already ${run.view.status}; nothing to resume`);
            return run.view.status === 'failed' ? 1 : 0;
          }
          if (run.view.status === 'waiting')
            throw new UsageError(
              `run ${id} waits for an answer: ${run.view.question?.question ?? ''} (orchestra runs answer ${id} TEXT)`,
            );
          return await executeInForeground(fg);
        case 'answer': {
          const text = rest.join(' ').trim();
          if (!text) throw new UsageError(`runs answer: expected the answer TEXT after the run ID`);
          if (run.view.status !== 'waiting' || !run.view.question)
            throw new UsageError(`run ${id} is ${run.view.status}, not waiting for an answer`);
          answerRun(store, run.view, text, Date.now());
          return await executeInForeground(fg);
        }
        case 'cancel':
          return cancel(store, id, io);
      }
      return 2;
    } finally {
      store.close();
    }
  },
};

function storePath(store: string | undefined, config: string | undefined): string {
  if (store) return resolve(store);
  const file = resolve(config ?? 'orchestra.yaml');
  return storePathFor(loadFleetFile(file, { env: {} }).gateway.storePath, file);
}

function list(store: RunStore, io: CliIO, json: boolean): number {
  const runs = store.runs().map((r) => ({ ...r, view: readRun(store, r.runId).view }));
  if (json) {
    io.out(
      JSON.stringify(
        runs.map((r) => ({
          id: r.runId,
          name: r.view.name,
          status: r.view.status,
          startedAt: r.firstAt,
          updatedAt: r.lastAt,
          events: r.events,
        })),
      ),
    );
    return 0;
  }
  if (runs.length === 0) io.out(`no runs in ${store.path}`);
  for (const r of runs)
    io.out(
      `${r.runId}  ${r.view.status.padEnd(9)}  ${r.view.name}  ${new Date(r.firstAt).toISOString()}  ${r.events} events`,
    );
  return 0;
}

function cancel(store: RunStore, runId: string, io: CliIO): number {
  const view = readRun(store, runId).view;
  if (isFinal(view.status)) {
    io.out(`run ${runId} has already ${view.status}`);
    return 0;
  }
  const at = nextEventTime(view, Date.now());
  store.append(runId, {
    at,
    source: 'runner',
    agent: null,
    attempt: null,
    type: 'cancel_requested',
    body: { type: 'cancel_requested', reason: 'orchestra runs cancel' },
  });
  const owner = store.owner(runId);
  if (owner !== undefined && owner !== process.pid) {
    try {
      process.kill(owner, 'SIGTERM');
      io.out(`asked process ${owner} to stop run ${runId}`);
    } catch {
      // the process is gone: mark the run cancelled here
    }
  }
  store.append(runId, {
    at,
    source: 'runner',
    agent: null,
    attempt: null,
    type: 'run_finished',
    body: { type: 'run_finished', state: 'cancelled', message: 'cancelled by the user' },
  });
  io.out(`run ${runId} cancelled`);
  return 0;
}
