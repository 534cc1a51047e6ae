// Money saved by serving tokens locally, valued at the configured cloud prices: the fleet's
// savingsBaseline model, else the cheapest priced model (DESIGN.md "Request path": usage and savings).
import type { FleetConfig } from '../config/index.ts';
import type { UsageTotals } from './usage-record.ts';

export interface PriceBaseline {
  model: string;
  /** US dollars per million tokens */
  inputPerMTok: number;
  outputPerMTok: number;
}

export function savingsBaseline(
  fleet: Pick<FleetConfig, 'models' | 'savingsBaseline'>,
): PriceBaseline | undefined {
  const priced = fleet.models.filter((m) => m.price !== undefined);
  const chosen =
    priced.find((m) => m.name === fleet.savingsBaseline) ??
    [...priced].sort(
      (a, b) =>
        a.price!.inputPerMTok + a.price!.outputPerMTok - (b.price!.inputPerMTok + b.price!.outputPerMTok),
    )[0];
  if (!chosen?.price) return undefined;
  return { model: chosen.name, ...chosen.price };
}

/** US dollars the locally served tokens of `t` would have cost at `price` */
export function dollarsSaved(
  t: Pick<UsageTotals, 'localInputTokens' | 'localOutputTokens'>,
  price: PriceBaseline,
): number {
  return (t.localInputTokens * price.inputPerMTok + t.localOutputTokens * price.outputPerMTok) / 1e6;
}
