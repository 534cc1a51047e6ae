// Savings per UTC day and key: loaded once from the usage store's daily totals, then kept current
// from each recorded row (the same rule as the store's SQL: local tokens of successful requests),
// so the savings page updates live without a GROUP BY over the requests table per row.
import type { DailyUsageTotals, PriceBaseline, UsageRecord } from '../store/index.ts';
import { dollarsSaved } from '../store/index.ts';

export interface SavingsView {
  /** the cloud model whose price values the local tokens; undefined when no model has a price */
  baseline?: PriceBaseline;
  /** oldest first */
  days: Array<{ day: string; dollars: number; byKey: Record<string, number> }>;
  keys: Array<{
    key: string;
    requests: number;
    localInputTokens: number;
    localOutputTokens: number;
    dollars: number;
  }>;
  totalDollars: number;
}

/** days the savings chart shows */
export const DAYS = 30;
const DAY_MS = 86_400_000;
/** the UTC day of `ms`, as the store's strftime('%Y-%m-%d') gives it */
const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** the first ms of the oldest day `view` shows at `nowMs`, to load the ledger from */
export const savingsSinceMs = (nowMs: number, days = DAYS): number =>
  (Math.floor(nowMs / DAY_MS) - days + 1) * DAY_MS;

interface Cell {
  requests: number;
  localInputTokens: number;
  localOutputTokens: number;
}

export class SavingsLedger {
  /** day -> key -> totals */
  private readonly cells = new Map<string, Map<string, Cell>>();

  constructor(rows: readonly DailyUsageTotals[]) {
    for (const r of rows) {
      const c = this.cell(r.day, r.key);
      c.requests += r.requests;
      c.localInputTokens += r.localInputTokens;
      c.localOutputTokens += r.localOutputTokens;
    }
  }

  add(row: UsageRecord): void {
    const c = this.cell(dayOf(row.timeMs), row.keyName ?? '(none)');
    c.requests++;
    if (row.local && row.status < 400) {
      c.localInputTokens += row.inputTokens;
      c.localOutputTokens += row.outputTokens;
    }
  }

  /** the `days` UTC days up to the one of `nowMs` (days without requests included), valued at
   * `baseline` */
  view(baseline: PriceBaseline | undefined, nowMs: number, days = DAYS): SavingsView {
    const price = (c: Cell): number => (baseline ? dollarsSaved(c, baseline) : 0);
    const today = Math.floor(nowMs / DAY_MS);
    const dayNames = Array.from({ length: days }, (_, i) => dayOf((today - days + 1 + i) * DAY_MS));
    const keys = new Map<string, SavingsView['keys'][number]>();
    const out: SavingsView['days'] = [];
    for (const day of dayNames) {
      const byKey: Record<string, number> = {};
      let dollars = 0;
      for (const [key, c] of this.cells.get(day) ?? []) {
        const d = price(c);
        byKey[key] = d;
        dollars += d;
        const k = keys.get(key) ?? {
          key,
          requests: 0,
          localInputTokens: 0,
          localOutputTokens: 0,
          dollars: 0,
        };
        k.requests += c.requests;
        k.localInputTokens += c.localInputTokens;
        k.localOutputTokens += c.localOutputTokens;
        k.dollars += d;
        keys.set(key, k);
      }
      out.push({ day, dollars, byKey });
    }
    return {
      ...(baseline ? { baseline } : {}),
      days: out,
      keys: [...keys.values()].sort((a, b) => b.dollars - a.dollars || a.key.localeCompare(b.key)),
      totalDollars: out.reduce((n, d) => n + d.dollars, 0),
    };
  }

  private cell(day: string, key: string): Cell {
    let byKey = this.cells.get(day);
    if (!byKey) {
      byKey = new Map();
      this.cells.set(day, byKey);
    }
    let c = byKey.get(key);
    if (!c) {
      c = { requests: 0, localInputTokens: 0, localOutputTokens: 0 };
      byKey.set(key, c);
    }
    return c;
  }
}
