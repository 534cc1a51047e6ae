// `orchestra bench SUBCOMMAND`: benchmarks that print comparison tables. Subcommands live in one
// map so `bench planner` and `bench gateway` can be added beside `bench scheduler`.
import { POLICY_NAMES, type PolicyName } from '../../config/schema.ts';
import { benchJson, benchTables, runSchedulerBench } from '../../scheduler/simulator/bench-report.ts';
import { TRACE_NAMES, type TraceName } from '../../scheduler/simulator/traces.ts';
import { numberFlag, parseFlags, UsageError, type CliIO, type Command } from '../command.ts';

type Handler = (argv: string[], io: CliIO) => Promise<number>;

const SUBCOMMANDS: Record<string, Handler> = {
  scheduler: benchScheduler,
};

async function benchScheduler(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    trace: { type: 'string', default: 'all' },
    policy: { type: 'string', default: 'all' },
    seeds: { type: 'string' },
    json: { type: 'boolean', default: false },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const traces = pick(values.trace, TRACE_NAMES, '--trace');
  const policies = pick(values.policy, POLICY_NAMES, '--policy');
  const seeds = numberFlag(values.seeds, '--seeds', 3);
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > 100)
    throw new UsageError(`--seeds: expected a whole number from 1 to 100, found ${values.seeds}`);
  const bench = runSchedulerBench({
    traces: traces as TraceName[],
    policies: policies as PolicyName[],
    seeds,
  });
  if (values.json) io.out(JSON.stringify(benchJson(bench)));
  else {
    io.out(`scheduler benchmark: ${seeds} seed(s), medians over seeds, simulated time`);
    for (const line of benchTables(bench)) io.out(line);
  }
  return Promise.resolve(0);
}

function pick(value: string, names: readonly string[], flag: string): string[] {
  if (value === 'all') return [...names];
  const wanted = value.split(',').map((v) => v.trim());
  for (const w of wanted)
    if (!names.includes(w))
      throw new UsageError(`${flag}: expected all or one of ${names.join(', ')}, found "${w}"`);
  return wanted;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'run a benchmark and print comparison tables (bench scheduler)',
  help: `Usage:
  orchestra bench scheduler [--trace T1|T2|T3|T4|all] [--policy all|NAME[,NAME]] [--seeds N] [--json]

  Simulates the scheduling policies (${POLICY_NAMES.join(', ')}) over the traces on a virtual
  clock and prints one side-by-side table per trace: swaps, load seconds, re-prefill tokens,
  makespan, throughput, waits (p50/p95/p99/max, per model), Jain fairness, share within W_target.
  --seeds N   seeds 1..N (default 3); figures are medians over seeds
  --json      print exactly one JSON document instead of tables

Exit codes: 0 ok, 2 usage.`,
  run(argv, io) {
    const [sub, ...rest] = argv;
    const handler = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (!handler)
      throw new UsageError(
        `expected "bench ${Object.keys(SUBCOMMANDS).join('|')}", found "bench ${argv.join(' ')}"`.trimEnd(),
      );
    return handler(rest, io);
  },
};
