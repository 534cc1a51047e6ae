// Runs: the list, and per run its agents' states, the planned and actual Gantt, the heals, the
// latest events and, for a run waiting for the user, the form that answers it.
import { gantt } from '../charts.js';
import { card, empty, fmt, h, table } from '../dom.js';

export function render(ctx) {
  const runs = ctx.state.runs;
  if (runs === undefined)
    return empty(
      'Runs are not available here',
      'This gateway has no run store wired in; runs started with `orchestra run` against the same store appear once it is.',
    );
  return ctx.id === undefined ? list(runs) : detail(ctx);
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
        { label: 'Agents done', class: 'num', cell: (r) => `${r.agentsDone} / ${r.agents}` },
        { label: 'Heals', class: 'num', cell: (r) => String(r.heals) },
        { label: 'Started', cell: (r) => (r.startedAtMs ? fmt.dateTime(r.startedAtMs) : '–') },
      ],
      runs,
      (r) => ({ dataset: { run: r.id } }),
    ),
  );
}

function detail({ id, run, drafts, answer, width }) {
  const back = h('p', null, h('a', { href: '#/runs', text: '← all runs' }));
  if (run.error)
    return h(
      'div',
      { class: 'page' },
      back,
      h(
        'div',
        { class: 'error-state', role: 'alert' },
        h('p', { class: 'empty-title', text: `Run ${id} could not be read` }),
        h('p', { text: run.error }),
      ),
    );
  const r = run.data;
  if (!r)
    return h('div', { class: 'page' }, back, h('p', { class: 'placeholder', text: `Loading run ${id}…` }));
  const now = r.finishedAtMs ?? Date.now();
  const start = r.startedAtMs ?? now;
  return h(
    'div',
    { class: 'page', dataset: { runDetail: r.id } },
    back,
    h(
      'p',
      { class: 'lede' },
      h('strong', { text: r.id }),
      ` · ${r.pipeline} · `,
      h('span', { class: `pill run-${r.state}`, dataset: { field: 'state' }, text: r.state }),
      ` · ${r.agentsDone} of ${r.agents} agents done · ${r.heals} heals`,
    ),
    r.state === 'waiting' ? answerForm(r, drafts, answer) : null,
    card(
      'Agents',
      table(
        [
          { label: 'Agent', cell: (a) => h('strong', { text: a.id }) },
          { label: 'State', cell: (a) => h('span', { class: `pill run-${a.state}`, text: a.state }) },
          { label: 'Model', cell: (a) => `${a.model ?? '–'}${a.server ? ` @ ${a.server}` : ''}` },
          { label: 'Tokens', class: 'num', cell: (a) => fmt.int(a.tokens) },
          { label: 'Repairs', class: 'num', cell: (a) => String(a.repairs) },
          { label: 'Heals', class: 'num', cell: (a) => String(a.heals) },
        ],
        r.agentsList,
        (a) => ({ dataset: { agent: a.id } }),
      ),
    ),
    card(
      'Planned (thin) against actual (thick)',
      r.agentsList.length === 0 ? empty('No agents') : gantt(r.agentsList, now - start, width),
    ),
    card(
      'Heals',
      r.healEvents.length === 0
        ? empty('No heals', 'Failures the run healed by itself are listed here.')
        : table(
            [
              { label: 'When', cell: (e) => fmt.time(e.atMs) },
              { label: 'Agent', cell: (e) => e.agent ?? '–' },
              { label: 'Failure', cell: (e) => e.kind },
              { label: 'Action', cell: (e) => e.action },
            ],
            r.healEvents,
          ),
    ),
    card(
      'Latest events',
      table(
        [
          { label: '#', class: 'num', cell: (e) => String(e.seq) },
          { label: 'When', cell: (e) => fmt.time(e.atMs) },
          { label: 'Event', cell: (e) => h('code', { text: e.type }) },
          { label: 'Agent', cell: (e) => e.agent ?? '–' },
          { label: 'What', cell: (e) => e.summary },
        ],
        [...r.events].reverse(),
      ),
    ),
  );
}

function answerForm(r, drafts, answer) {
  const status = h('p', { class: 'muted', role: 'status' });
  const text = h('textarea', {
    id: 'answer-text',
    name: 'answer',
    rows: 3,
    required: true,
    oninput: (e) => (drafts[r.id] = e.target.value),
  });
  text.value = drafts[r.id] ?? '';
  const button = h('button', { type: 'submit', text: 'Answer and resume' });
  const form = h(
    'form',
    {
      class: 'card answer',
      onsubmit: async (e) => {
        e.preventDefault();
        button.disabled = true;
        status.textContent = 'Sending…';
        try {
          await answer(r.id, text.value);
          status.textContent = 'Answered: the run resumes.';
        } catch (err) {
          status.textContent = `Not sent: ${err.message}`;
          button.disabled = false;
        }
      },
    },
    h('h2', { text: 'The run asks' }),
    h('blockquote', { dataset: { field: 'question' }, text: r.question ?? '(no question recorded)' }),
    h('label', { for: 'answer-text', text: 'Your answer' }),
    text,
    button,
    status,
  );
  return form;
}
