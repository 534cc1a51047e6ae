// Queues: per alias the requests waiting and running, the oldest wait against the wait bound, and
// requests served and refused in the last minute; then the waiting requests themselves.
import { card, empty, fmt, h, meter, table } from '../dom.js';

const SHOWN = 50;

export function render({ state, elapsedMs }) {
  const q = state.queues;
  if (q.aliases.length === 0)
    return empty(
      'No aliases and no traffic yet',
      'Aliases from the fleet file and models asked for by name appear here.',
    );
  const bound = q.waitTargetMs;
  const waiting = q.aliases
    .flatMap((a) => a.queued.map((r) => ({ ...r, alias: a.alias, waitedMs: r.waitedMs + elapsedMs })))
    .sort((a, b) => b.waitedMs - a.waitedMs);
  return h(
    'div',
    { class: 'page' },
    card(
      'Per alias',
      table(
        [
          {
            label: 'Alias',
            cell: (a) =>
              h(
                'div',
                null,
                h('strong', { text: a.alias }),
                h('div', { class: 'muted small', text: a.chain.join(' → ') || 'not in the fleet' }),
              ),
          },
          {
            label: 'Waiting',
            class: 'num',
            cell: (a) => h('span', { dataset: { field: 'waiting' }, text: String(a.waiting) }),
          },
          {
            label: 'Running',
            class: 'num',
            cell: (a) => h('span', { dataset: { field: 'running' }, text: String(a.running) }),
          },
          { label: 'Oldest wait / bound', cell: (a) => oldest(a, bound, elapsedMs) },
          {
            label: 'Served /min',
            class: 'num',
            cell: (a) => h('span', { dataset: { field: 'served' }, text: String(a.servedPerMin) }),
          },
          {
            label: 'Refused /min',
            class: 'num',
            cell: (a) =>
              h('span', {
                class: a.refusedPerMin > 0 ? 'bad' : '',
                dataset: { field: 'refused' },
                text: String(a.refusedPerMin),
              }),
          },
        ],
        q.aliases,
        (a) => ({ dataset: { alias: a.alias } }),
      ),
    ),
    card(
      `Waiting requests (${waiting.length})`,
      waiting.length === 0
        ? empty('Nobody is waiting', 'Requests queue here while their model is busy or loading.')
        : table(
            [
              { label: 'Request', cell: (r) => h('code', { text: r.requestId }) },
              { label: 'Alias', cell: (r) => r.alias },
              { label: 'Model', cell: (r) => `${r.model} @ ${r.server}` },
              { label: 'Agent', cell: (r) => r.agentId ?? '–' },
              {
                label: 'Waited',
                class: 'num',
                cell: (r) => h('span', { class: r.waitedMs > bound ? 'bad' : '', text: fmt.ms(r.waitedMs) }),
              },
            ],
            waiting.slice(0, SHOWN),
          ),
      waiting.length > SHOWN ? h('p', { class: 'muted', text: `and ${waiting.length - SHOWN} more` }) : null,
    ),
  );
}

function oldest(a, bound, elapsedMs) {
  if (a.waiting === 0) return h('span', { class: 'muted', text: '–' });
  const ms = a.oldestWaitMs + elapsedMs;
  const share = ms / bound;
  return h(
    'div',
    { class: 'bound' },
    meter(
      ms,
      bound,
      `oldest wait ${fmt.ms(ms)} of ${fmt.ms(bound)}`,
      share >= 1 ? 'bad' : share >= 0.8 ? 'warn' : 'ok',
    ),
    h('span', { class: 'small', text: `${fmt.ms(ms)} / ${fmt.ms(bound)}` }),
  );
}
