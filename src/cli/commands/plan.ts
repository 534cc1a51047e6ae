// `orchestra plan`: reads the pipeline and the fleet, applies what-if flags, prints the plan report.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadFleetFile } from '../../config/index.ts';
import { ConfigError } from '../../config/config-error.ts';
import {
  STRATEGY_NAMES,
  applyWhatIf,
  buildProblem,
  ganttHtml,
  ganttText,
  parsePipelineText,
  planJson,
  planPipeline,
  planTable,
  type StrategyName,
} from '../../planner/index.ts';
import { UsageError, parseFlags, type Command } from '../command.ts';

export const planCommand: Command = {
  name: 'plan',
  summary: 'plan a pipeline of agents on a fleet: strategies, optimum, lower bounds, Gantt chart',
  help: `Usage:
  orchestra plan PIPELINE --config FLEET [--strategy NAME|all|best] [--json] [--html FILE]
                 [--servers +N] [--memory GIB]

Plans PIPELINE (a YAML file of agents: id, model, work, after) on the servers of FLEET and compares
the strategies: ${STRATEGY_NAMES.join(', ')}. The exact search (optimal) proves the optimum for
pipelines of up to 16 agents; larger ones use the campaign heuristic.

Options:
  --config FILE      the fleet config (servers, models, aliases)
  --strategy NAME    one of ${STRATEGY_NAMES.join(', ')}; "all" (default) compares them all,
                     "best" prints only the best plan
  --json             print one JSON document instead of the table
  --html FILE        also write a self-contained HTML page with the Gantt charts
  --servers +N       what if: N more servers like the first one (starting empty)
  --memory GIB       what if: every server has GIB of usable memory

Exit codes: 0 planned, 2 usage, config or pipeline error, 1 other failures.`,
  run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      config: { type: 'string' },
      strategy: { type: 'string', default: 'all' },
      json: { type: 'boolean', default: false },
      html: { type: 'string' },
      servers: { type: 'string' },
      memory: { type: 'string' },
    });
    if (positionals.length !== 1)
      throw new UsageError(`expected one PIPELINE file, found ${positionals.length}`);
    if (!values.config) throw new UsageError('expected --config FLEET (the fleet config file)');
    const pipelineFile = positionals[0]!;
    const wanted = strategiesOf(values.strategy);
    const fleet = applyWhatIf(loadFleetFile(values.config), {
      extraServers: serversFlag(values.servers),
      memoryGiB: memoryFlag(values.memory),
    });
    const pipeline = parsePipelineText(readPipeline(pipelineFile), pipelineFile);
    const problem = buildProblem(pipeline, fleet, pipelineFile);
    const full = planPipeline(problem, { strategies: wanted === 'best' ? undefined : wanted });
    const report =
      wanted === 'best' ? { ...full, plans: full.plans.filter((p) => p.name === full.best) } : full;
    if (values.html) writeFileSync(values.html, ganttHtml(report));
    if (values.json) {
      io.out(JSON.stringify(planJson(report)));
      return Promise.resolve(0);
    }
    for (const line of planTable(report)) io.out(line);
    const shown = report.plans.find((p) => p.name === report.best) ?? report.plans[0]!;
    io.out('');
    io.out(`Gantt of ${shown.name} (${(shown.stats.makespan / 60).toFixed(2)} min):`);
    for (const line of ganttText(shown.problem, shown.schedule)) io.out(line);
    if (values.html) io.out(`\nwrote ${values.html}`);
    return Promise.resolve(0);
  },
};

function strategiesOf(value: string | undefined): StrategyName[] | 'best' | undefined {
  if (value === undefined || value === 'all') return undefined;
  if (value === 'best') return 'best';
  const known = STRATEGY_NAMES.find((n) => n === value);
  if (known) return [known];
  throw new UsageError(
    `--strategy: expected all, best or one of ${STRATEGY_NAMES.join(', ')}, found ${JSON.stringify(value)}`,
  );
}

function serversFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const m = /^\+(\d+)$/.exec(value);
  if (!m || Number(m[1]) < 1)
    throw new UsageError(`--servers: expected +N (like +1), found ${JSON.stringify(value)}`);
  return Number(m[1]);
}

function memoryFlag(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--memory: expected GiB as a positive number, found ${JSON.stringify(value)}`);
  return n;
}

function readPipeline(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new ConfigError(file, [{ path: '', message: `cannot read the pipeline: ${reason}` }]);
  }
}
