// Savings: what the locally served tokens would have cost at the cloud price, per day and per key.
import { seriesClass, stackedBars } from '../charts.js';
import { card, empty, fmt, h, table } from '../dom.js';

export function render({ state, width }) {
  const v = state.savings;
  if (!v.baseline)
    return empty(
      'No cloud price to compare with',
      'Give a cloud model a price (price: {inputPerMTok, outputPerMTok}) or set savingsBaseline in the fleet file.',
    );
  // colours by name, so a key keeps its colour as the ranking changes
  const keys = v.keys.map((k) => k.key).sort();
  const b = v.baseline;
  return h(
    'div',
    { class: 'page' },
    h(
      'p',
      { class: 'lede' },
      'Saved against ',
      h('strong', { text: b.model }),
      ` ($${b.inputPerMTok}/M input, $${b.outputPerMTok}/M output), last ${v.days.length} days (UTC): `,
      h('strong', { dataset: { field: 'total' }, text: fmt.dollars(v.totalDollars) }),
    ),
    card(
      'Per day',
      v.totalDollars === 0
        ? empty('No local tokens in these days', 'Requests served by the local fleet count here.')
        : [stackedBars(v.days, keys, { label: 'dollars saved per day, by key', width }), legend(keys)],
    ),
    card(
      'Per key',
      v.keys.length === 0
        ? empty('No requests in these days')
        : table(
            [
              {
                label: 'Key',
                cell: (k) =>
                  h('span', null, h('span', { class: `swatch ${seriesClass(keys.indexOf(k.key))}` }), k.key),
              },
              { label: 'Requests', class: 'num', cell: (k) => fmt.int(k.requests) },
              { label: 'Local tokens in', class: 'num', cell: (k) => fmt.int(k.localInputTokens) },
              { label: 'Local tokens out', class: 'num', cell: (k) => fmt.int(k.localOutputTokens) },
              {
                label: 'Saved',
                class: 'num',
                cell: (k) => h('span', { dataset: { field: 'saved' }, text: fmt.dollars(k.dollars) }),
              },
            ],
            v.keys,
            (k) => ({ dataset: { key: k.key } }),
          ),
    ),
  );
}

function legend(keys) {
  return h(
    'ul',
    { class: 'legend' },
    keys.map((k, i) => h('li', null, h('span', { class: `swatch ${seriesClass(i)}` }), k)),
  );
}
