// Runs: the list of the run store's runs (live, also those `orchestra run` executes in another
// process), and one run's page (run.js) at #/runs/ID.
import { card, empty, fmt, h, table } from '../dom.js';
import { renderRun } from './run.js';

export { live } from './run.js';

export function render(ctx) {
  const runs = ctx.state.runs;
  if (runs === undefined)
    return empty(
      'Runs are not available here',
      'This gateway has no run store wired in; runs started with `orchestra run` against the same store appear once it is.',
    );
  return ctx.id === undefined ? list(runs) : renderRun(ctx);
}

function list(runs) {
  if (runs.length === 0)
    return empty(
      'No runs yet',
      'Start one with `orchestra run PIPELINE --config FLEET`: it appears here live.',
    );
  return card(
    `Runs (${runs.length})`,
    table(
      [
        { label: 'Run', cell: (r) => h('a', { href: `#/runs/${encodeURIComponent(r.id)}`, text: r.id }) },
        { label: 'Pipeline', cell: (r) => r.pipeline },
        {
          label: 'State',
          cell: (r) =>
            h('span', { class: `pill run-${r.state}`, dataset: { field: 'state' }, text: r.state }),
        },
        {
          label: 'Agents done',
          class: 'num',
          cell: (r) =>
            h('span', { dataset: { field: 'agents-done' }, text: `${r.agentsDone} / ${r.agents}` }),
        },
        {
          label: 'Heals',
          class: 'num',
          cell: (r) => h('span', { dataset: { field: 'heals' }, text: String(r.heals) }),
        },
        {
          label: 'Waits for',
          cell: (r) => (r.question ? h('span', { class: 'clip', title: r.question, text: r.question }) : '–'),
        },
        { label: 'Started', cell: (r) => (r.startedAtMs ? fmt.dateTime(r.startedAtMs) : '–') },
      ],
      runs,
      (r) => ({ dataset: { run: r.id } }),
    ),
  );
}
