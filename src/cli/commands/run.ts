// `orchestra run`: plans a pipeline, then executes it through the engine on the fleet; durable.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../config/config-error.ts';
import { envSnapshot, loadFleetFile } from '../../config/index.ts';
import { STRATEGY_NAMES, type StrategyName } from '../../planner/index.ts';
import type { RunInputs } from '../../runner/run-events.ts';
import { createRun, newRunId } from '../../runner/run-session.ts';
import { storePathFor } from '../../store/index.ts';
import { openRunStore } from '../../store/run-store.ts';
import { parseFlags, UsageError, type Command } from '../command.ts';
import { executeInForeground, interruptOnSignals, outputMode } from './run-foreground.ts';

export const runCommand: Command = {
  name: 'run',
  summary: 'execute a pipeline of agents on the fleet through the engine: durable, resumable, healed',
  help: `Usage:
  orchestra run PIPELINE --config FLEET [--workspace DIR] [--strategy S] [--json] [--html FILE]
                [--emulate] [--store FILE]

Plans PIPELINE with the planner (strategy S, default the best: ${STRATEGY_NAMES.join(', ')}),
then executes it: each agent starts when its dependencies have succeeded, in the plan's order, and
runs through the engine; every model call goes through the gateway and its scheduler. Every
decision, model result and tool effect is logged in SQLite before the run goes on: after a crash
or Ctrl-C, "orchestra runs resume ID" finishes it with nothing done twice.

--config FILE     the fleet (servers, models, aliases); its store file keeps the run
--workspace DIR   the run's workspace (default: a new temporary folder); the pipeline's
                  workspace.template is copied into it when it is empty
--strategy S      the plan to follow (default: the best)
--emulate         run the fleet's Ollama servers as emulators in process on a virtual clock, the
                  models answering from the fleet's scripted replies (its emulator keys); without
                  it the servers are called over HTTP (a real fleet ignores the emulator keys)
--store FILE      the run store (default: the fleet's gateway.storePath)
--json            print the events as JSON lines
--html FILE       where to write the report (plan against actual, the metrics) when the run
                  stops (default: next to the workspace, WORKSPACE.report.html)

Exit codes: 0 succeeded or waiting for an answer, 1 failed or cancelled, 2 usage, config or pipeline error,
130 interrupted (resumable).`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      config: { type: 'string' },
      workspace: { type: 'string' },
      strategy: { type: 'string' },
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      emulate: { type: 'boolean', default: false },
      store: { type: 'string' },
    });
    if (positionals.length !== 1)
      throw new UsageError(`expected one PIPELINE file, found ${positionals.length}`);
    if (!values.config) throw new UsageError('expected --config FLEET (the fleet config file)');
    const strategy = strategyOf(values.strategy);
    const pipelineFile = resolve(positionals[0]!);
    const fleetFile = resolve(values.config);
    const fleet = loadFleetFile(fleetFile, { env: {} });
    const now = Date.now();
    const runId = newRunId(now);
    const inputs: RunInputs = {
      pipelineFile,
      pipelineText: readText(pipelineFile, 'pipeline'),
      fleetFile,
      fleetText: readFileSync(fleetFile, 'utf8'),
      workspace: resolve(values.workspace ?? mkdtempSync(join(tmpdir(), `orchestra-${runId}-`))),
      strategy: strategy ?? 'best',
      emulated: values.emulate,
    };
    const storePath = values.store ? resolve(values.store) : storePathFor(fleet.gateway.storePath, fleetFile);
    // from here a Ctrl-C stops the run cleanly (it stays resumable), even before it is executing
    const interrupt = interruptOnSignals();
    const store = openRunStore(storePath);
    try {
      createRun(store, inputs, { now, runId, ...(strategy ? { strategy } : {}) });
      io.out(
        values.json
          ? JSON.stringify({ run: runId, workspace: inputs.workspace, store: storePath })
          : `run ${runId} started: workspace ${inputs.workspace}, store ${storePath}`,
      );
      return await executeInForeground({
        store,
        runId,
        io,
        mode: outputMode(values.json),
        env: envSnapshot(),
        html: values.html ? resolve(values.html) : `${inputs.workspace}.report.html`,
        showLogged: true,
        interrupt,
      });
    } finally {
      interrupt.dispose();
      store.close();
    }
  },
};

function strategyOf(value: string | undefined): StrategyName | undefined {
  if (value === undefined || value === 'best') return undefined;
  const known = STRATEGY_NAMES.find((n) => n === value);
  if (known) return known;
  throw new UsageError(
    `--strategy: expected best or one of ${STRATEGY_NAMES.join(', ')}, found ${JSON.stringify(value)}`,
  );
}

function readText(file: string, what: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new ConfigError(file, [{ path: '', message: `cannot read the ${what}: ${reason}` }]);
  }
}
