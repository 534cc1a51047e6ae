// `orchestra emulate`: serves every Ollama server of a fleet as an emulator on the port of its URL.
import { readFileSync } from 'node:fs';
import { loadFleetFile, serverMemoryGiB } from '../../config/index.ts';
import { modelCostsOn } from '../../cost/index.ts';
import { startEmulatedFleet, type EmulatedFleet } from '../../emulator/emulated-fleet.ts';
import { FaultsSchema, mergeFaults } from '../../emulator/faults.ts';
import { loadScriptFile } from '../../emulator/responders/script-responder.ts';
import { numberFlag, parseFlags, UsageError, type CliIO, type Command } from '../command.ts';

const HELP = `Usage: orchestra emulate --config FILE [--time-scale X] [--script FILE] [--faults JSON|FILE]

Serves each ollama server of the fleet as an Ollama-compatible emulator on the port of its URL:
memory and the 80% rule, load times, token speeds, Ollama's scheduler (FIFO, fast path,
keep-alive, eviction), /api/* and the OpenAI layer /v1/*.

Options:
  --config FILE      fleet config (servers, models)
  --time-scale X     wall seconds per emulated second (default 1; 0.01 makes a 40 s load take 0.4 s,
                     while responses still report 40 s)
  --script FILE      YAML rules for scripted replies and tool calls, tried before the fleet config's
                     own (models[].emulator, emulator.rules); otherwise deterministic text
  --faults JSON      faults at start, e.g. '{"loadFailure":{"model":"qwen-fast"}}' (or a JSON file)

Faults at run time: POST http://HOST:PORT/admin/faults with JSON
  {"loadFailure": {"model"?, "message"?} | null, "resetAfterChunks": N | null,
   "slowFirstTokenMs": MS | null, "down": true | false}
GET /admin/faults shows them; GET /admin/state shows runners and queues.

Stops cleanly on Ctrl-C (SIGINT) or SIGTERM. Exit codes: 0 stopped, 1 failed to start, 2 usage.`;

export const emulateCommand: Command = {
  name: 'emulate',
  summary: 'serve the fleet as emulated Ollama servers (memory, load times, speeds, faults)',
  help: HELP,
  run(argv, io) {
    const stop = new AbortController();
    const onSignal = (): void => stop.abort();
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    return runEmulate(argv, io, stop.signal).finally(() => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
  },
};

/** Runs the emulators until `stop` aborts; resolves with the exit code. */
export async function runEmulate(argv: string[], io: CliIO, stop: AbortSignal): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: 'string' },
    'time-scale': { type: 'string' },
    script: { type: 'string' },
    faults: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (!values.config) throw new UsageError('--config FILE is required');
  const timeScale = numberFlag(values['time-scale'], '--time-scale', 1);
  if (!(timeScale > 0)) throw new UsageError(`--time-scale: expected a positive number, found ${timeScale}`);
  const fleet = loadFleetFile(values.config);
  const script = values.script ? loadScriptFile(values.script) : undefined;
  const faults = values.faults === undefined ? undefined : parseFaults(values.faults);
  if (!fleet.servers.some((s) => s.kind === 'ollama'))
    throw new UsageError(`${values.config}: no server of kind ollama to emulate`);
  const running: EmulatedFleet = await startEmulatedFleet(fleet, {
    timeScale,
    ...(script ? { script } : {}),
    ...(faults ? { faults } : {}),
    onEvent: (server, e) => {
      if (e.type === 'loaded' || e.type === 'unloaded' || e.type === 'load_started')
        io.out(`[${server}] ${new Date(e.at).toISOString()} ${e.type.replace('_', ' ')} ${e.model}`);
    },
  });
  for (const s of running.servers) describeServer(fleet, s.name, s.url, io);
  describeScripts(fleet, script?.rules.length ?? 0, io);
  io.out(`time scale ${timeScale}: 1 emulated second takes ${timeScale * 1000} ms`);
  io.out('Ctrl-C stops.');
  if (!stop.aborted) await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve()));
  await running.close();
  io.out('emulators stopped');
  return 0;
}

function describeServer(
  fleet: Parameters<typeof startEmulatedFleet>[0],
  name: string,
  url: string,
  io: CliIO,
): void {
  const server = fleet.servers.find((s) => s.name === name)!;
  io.out(
    `emulating ${name} at ${url}: ${serverMemoryGiB(server)} GiB (profile ${server.profile}), ` +
      `parallel ${server.parallel}, max ${server.maxLoadedModels} loaded, queue max ${server.queueMax}`,
  );
  for (const m of fleet.models.filter((x) => x.servers.includes(name))) {
    const c = modelCostsOn(server, m);
    io.out(
      `  ${m.name}: ${c.memoryGiB.toFixed(1)} GiB at ${m.contextTokens} tokens, load ${c.loadSeconds.toFixed(1)} s, ` +
        `prefill ${c.prefillTokensPerSecond.toFixed(0)} tok/s, decode ${c.decodeTokensPerSecond.toFixed(1)} tok/s`,
    );
  }
  if (server.resident.length > 0) io.out(`  resident at start: ${server.resident.join(', ')}`);
}

function describeScripts(fleet: Parameters<typeof startEmulatedFleet>[0], fromFlag: number, io: CliIO): void {
  const own = fleet.models.reduce((n, m) => n + (m.emulator?.rules?.length ?? 0), 0);
  const shared = fleet.emulator?.rules.length ?? 0;
  const forms = fleet.models.filter((m) => m.emulator?.toolCallForms).map((m) => m.name);
  if (fromFlag + own + shared > 0)
    io.out(`scripted replies: ${fromFlag} rules from --script, ${own} of models, ${shared} of the fleet`);
  if (forms.length > 0) io.out(`tool-call form rates for ${forms.join(', ')}`);
}

function parseFaults(text: string) {
  let raw: unknown;
  try {
    raw = JSON.parse(text.trim().startsWith('{') ? text : readFileSync(text, 'utf8'));
  } catch (e) {
    throw new UsageError(`--faults: expected JSON or a JSON file, ${(e as Error).message}`);
  }
  const parsed = FaultsSchema.safeParse(raw);
  if (!parsed.success)
    throw new UsageError(
      `--faults: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`).join('; ')}`,
    );
  return mergeFaults({}, parsed.data);
}
