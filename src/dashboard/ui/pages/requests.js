// Requests: the latest ones the gateway answered, newest first, from the usage store.
import { card, empty, fmt, h, table } from '../dom.js';

export function render({ state }) {
  const rows = state.requests;
  if (rows.length === 0)
    return empty(
      'No requests yet',
      'Send one to /v1/chat/completions, /v1/messages or /api/chat: it appears here when it ends.',
    );
  return card(
    `Latest ${rows.length} requests`,
    table(
      [
        { label: 'Time', cell: (r) => fmt.time(r.timeMs) },
        { label: 'Key', cell: (r) => r.keyName ?? '–' },
        { label: 'Alias', cell: (r) => h('span', { dataset: { field: 'alias' }, text: r.alias ?? '–' }) },
        {
          label: 'Model',
          cell: (r) =>
            h(
              'span',
              { dataset: { field: 'model' } },
              r.model ?? '–',
              r.server ? h('span', { class: 'muted small', text: ` @ ${r.server}` }) : null,
            ),
        },
        {
          label: 'Tokens in/out',
          class: 'num',
          cell: (r) =>
            h('span', {
              dataset: { field: 'tokens' },
              text: `${fmt.int(r.inputTokens)} / ${fmt.int(r.outputTokens)}`,
            }),
        },
        {
          label: 'TTFT',
          class: 'num',
          cell: (r) =>
            h('span', { dataset: { field: 'ttft' }, text: r.ttftMs === undefined ? '–' : fmt.ms(r.ttftMs) }),
        },
        { label: 'Total', class: 'num', cell: (r) => fmt.ms(r.totalMs) },
        { label: 'Tool calls', cell: (r) => tools(r.tools) },
        {
          label: 'Fallback',
          cell: (r) =>
            r.fallbackUsed
              ? h('span', { class: 'pill unloading', text: `yes (${r.attempts} tries)` })
              : h('span', { class: 'muted', text: 'no' }),
        },
        {
          label: 'Status',
          cell: (r) =>
            h('span', {
              class: r.status >= 400 ? 'bad' : 'good',
              title: r.errorCode ?? '',
              text: r.errorCode ? `${r.status} ${r.errorCode}` : String(r.status),
            }),
        },
      ],
      rows,
      (r) => ({ dataset: { request: r.requestId } }),
    ),
  );
}

/** the repair ladder's outcome: native calls, the rung that repaired them, or what went wrong */
function tools(t) {
  if (!t) return h('span', { class: 'muted', text: '–' });
  if (t.verdict !== 'calls')
    return h('span', { class: 'pill unloading', dataset: { field: 'repair' }, text: t.verdict });
  if (t.rung === undefined || t.rung <= 1)
    return h('span', { class: 'pill resident', dataset: { field: 'repair' }, text: 'native' });
  return h('span', {
    class: 'pill loading',
    dataset: { field: 'repair' },
    text: `repaired (rung ${t.rung})`,
  });
}
