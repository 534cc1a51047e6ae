// `orchestra usage`: tokens, local GPU time and money saved, from the gateway's usage store.
import { loadFleetFile } from '../../config/index.ts';
import {
  CALL_OUTCOMES,
  dollarsSaved,
  openUsageStore,
  parseDurationMs,
  savingsBaseline,
  storePathFor,
  USAGE_GROUPS,
  type UsageGroup,
  type UsageTotals,
} from '../../store/index.ts';
import { parseFlags, UsageError, type CliIO, type Command } from '../command.ts';

export const usageCommand: Command = {
  name: 'usage',
  summary: 'tokens, local GPU time and money saved, by agent, model, key or alias',
  help: `Usage:
  orchestra usage [--config FILE] [--since DURATION] [--by agent|model|key|alias] [--json]

--config  fleet config (default orchestra.yaml): the store path (a relative one is read from the
          config file's folder, as serve does) and the cloud prices
--since   only requests newer than this: 90s, 15m, 24h, 7d, 2w (default: all)
--by      one row per agent, model, key or alias (default: one total)
--json    one JSON document instead of a table

When the gateway repaired tool calls (tool_calls.repair), a second table counts per row the replies
to requests that offered tools and their calls: native (valid as the model sent them), salvaged
(taken out of the text), repaired (JSON fixed), coerced (arguments fitted to the schema),
interpreted (by the interpreter model), reasked (after a corrective re-ask), lost (the model tried
to call and no valid call came of it).

Savings value the locally served tokens at the savingsBaseline model's price (else the cheapest
priced model of the fleet).`,
  run(argv, io) {
    return Promise.resolve().then(() => runUsage(argv, io));
  },
};

function runUsage(argv: string[], io: CliIO): number {
  const { values, positionals } = parseFlags(argv, {
    config: { type: 'string' },
    since: { type: 'string' },
    by: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
  const by = values.by;
  if (by !== undefined && !(USAGE_GROUPS as readonly string[]).includes(by))
    throw new UsageError(`--by: expected one of ${USAGE_GROUPS.join(', ')}, found ${JSON.stringify(by)}`);
  let sinceMs: number | undefined;
  if (values.since !== undefined) {
    const d = parseDurationMs(values.since);
    if (d === undefined)
      throw new UsageError(
        `--since: expected a duration like 24h or 7d, found ${JSON.stringify(values.since)}`,
      );
    sinceMs = Date.now() - d;
  }
  const configFile = values.config ?? 'orchestra.yaml';
  const fleet = loadFleetFile(configFile);
  const price = savingsBaseline(fleet);
  const store = openUsageStore(storePathFor(fleet.gateway.storePath, configFile));
  try {
    const rows = store.totals({
      ...(sinceMs === undefined ? {} : { sinceMs }),
      ...(by ? { by: by as UsageGroup } : {}),
    });
    const withSavings = rows.map((r) => ({
      ...r,
      dollarsSaved: price ? round6(dollarsSaved(r, price)) : null,
    }));
    if (values.json) {
      io.out(
        JSON.stringify(
          { since: values.since ?? null, by: by ?? null, baseline: price ?? null, rows: withSavings },
          null,
          2,
        ),
      );
      return 0;
    }
    for (const l of table(withSavings, by ?? 'total')) io.out(l);
    if (rows.some((r) => r.toolReplies > 0)) {
      io.out('');
      io.out('tool calls (replies to requests that offered tools, and how each call came about):');
      for (const l of toolCallTable(rows, by ?? 'total')) io.out(l);
    }
    io.out(
      price
        ? `savings valued at ${price.model} ($${price.inputPerMTok}/$${price.outputPerMTok} per M tokens in/out)`
        : 'no priced cloud model in the fleet: savings not computed',
    );
    return 0;
  } finally {
    store.close();
  }
}

// micro-dollars: a few hundred local tokens are worth less than a cent
const round6 = (n: number): number => Math.round(n * 1e6) / 1e6;

function toolCallTable(rows: UsageTotals[], keyTitle: string): string[] {
  const head = [keyTitle, 'replies', ...CALL_OUTCOMES];
  const body = rows
    .filter((r) => r.toolReplies > 0)
    .map((r) => [r.key, String(r.toolReplies), ...CALL_OUTCOMES.map((o) => String(r.calls[o]))]);
  return aligned(head, body);
}

function aligned(head: string[], body: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const fmt = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [fmt(head), ...body.map(fmt)];
}

function table(rows: Array<UsageTotals & { dollarsSaved: number | null }>, keyTitle: string): string[] {
  const head = [
    keyTitle,
    'requests',
    'errors',
    'fallbacks',
    'tokens in',
    'tokens out',
    'local in',
    'local out',
    'GPU s',
    'saved $',
  ];
  const body = rows.map((r) => [
    r.key,
    String(r.requests),
    String(r.errors),
    String(r.fallbacks),
    String(r.inputTokens),
    String(r.outputTokens),
    String(r.localInputTokens),
    String(r.localOutputTokens),
    (r.localGpuMs / 1000).toFixed(1),
    r.dollarsSaved === null ? '-' : r.dollarsSaved.toFixed(4),
  ]);
  if (body.length === 0) return ['no requests recorded'];
  return aligned(head, body);
}
