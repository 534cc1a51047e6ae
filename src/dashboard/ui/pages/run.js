// One run: its facts, the answer form while it waits for the user, its agents' states, the planned
// and actual Gantt, the heals and the latest events. Times are shown from the run's start, so an
// emulated run (on a virtual clock) reads the same as a real one.
import { gantt } from '../charts.js';
import { card, empty, fmt, h, table } from '../dom.js';

export function renderRun({ id, run, drafts, answered, answer, reload, width }) {
  const back = h('p', { class: 'back' }, h('a', { href: '#/runs', text: '← all runs' }));
  if (run.error)
    return h(
      'div',
      { class: 'page' },
      back,
      h(
        'div',
        { class: 'error-state', role: 'alert', dataset: { runError: '' } },
        h('p', {
          class: 'empty-title',
          text: run.status === 404 ? `No run ${id}` : `Run ${id} could not be read`,
        }),
        h('p', { text: run.error }),
        run.status === 404
          ? h('p', { text: 'It is not in the run store this gateway reads (its gateway.storePath).' })
          : h('button', { type: 'button', onclick: () => reload(id), text: 'Try again' }),
      ),
    );
  const r = run.data;
  if (!r)
    return h(
      'div',
      { class: 'page' },
      back,
      h('p', { class: 'placeholder', role: 'status', text: `Loading run ${id}…` }),
    );
  const start = r.startedAtMs ?? 0;
  // a live run on the wall clock keeps growing between pushes; an emulated or stopped one does not
  const nowMs = r.spanNowMs + (live(r) ? Math.max(0, performance.now() - run.fetchedAt) : 0);
  return h(
    'div',
    { class: 'page', dataset: { runDetail: r.id } },
    back,
    facts(r),
    r.state === 'waiting' ? answerForm(r, drafts, answer) : null,
    answered[r.id] ? answeredNotice(r, answered[r.id]) : null,
    agents(r),
    card(
      'Planned against actual',
      r.agentsList.length === 0
        ? empty('No agents planned', 'The pipeline has no agents to run.')
        : [
            gantt(r.agentsList, nowMs, width),
            h(
              'ul',
              { class: 'legend' },
              h('li', null, h('span', { class: 'swatch planned' }), 'planned'),
              h('li', null, h('span', { class: 'swatch actual' }), 'actual'),
              h('li', null, h('span', { class: 'swatch actual open' }), 'still running'),
            ),
          ],
    ),
    heals(r, start),
    events(r, start),
  );
}

/** whether the run's open spans grow with the wall clock */
export function live(r) {
  return !['succeeded', 'failed', 'cancelled'].includes(r.state) && r.executor?.alive && !r.emulated;
}

function facts(r) {
  const since = (ms) => (ms === undefined || r.startedAtMs === undefined ? '–' : fmt.ms(ms - r.startedAtMs));
  const item = (label, field, value) => [h('dt', { text: label }), h('dd', { dataset: { field } }, value)];
  return h(
    'section',
    { class: 'card' },
    h(
      'div',
      { class: 'card-head' },
      h('h2', { text: r.id }),
      h('span', { class: `pill run-${r.state}`, dataset: { field: 'state' }, text: r.state }),
    ),
    h(
      'dl',
      { class: 'facts' },
      item('Pipeline', 'pipeline', r.pipeline),
      item('Agents done', 'agents-done', `${r.agentsDone} / ${r.agents}`),
      item('Heals', 'heals', String(r.heals)),
      item('Started', 'started', r.startedAtMs ? fmt.dateTime(r.startedAtMs) : '–'),
      item('Last event', 'updated', `${since(r.updatedAtMs)} after the start`),
      item('Clock', 'clock', r.emulated ? 'virtual (emulated fleet)' : 'wall clock'),
      item('Executed by', 'executor', executor(r)),
      r.message ? item('Outcome', 'message', r.message) : null,
    ),
  );
}

function executor(r) {
  if (['succeeded', 'failed', 'cancelled'].includes(r.state)) return 'nobody (finished)';
  if (r.executor?.alive) return `process ${r.executor.pid}`;
  const resume = h('code', { text: `orchestra runs resume ${r.id}` });
  if (r.state === 'waiting') return 'nobody: it waits for your answer';
  return [r.executor ? `process ${r.executor.pid} is gone; ` : 'no process; ', 'go on with ', resume];
}

function agents(r) {
  const span = (s) => (s ? `${fmt.ms(s.startMs)} → ${s.endMs === undefined ? 'now' : fmt.ms(s.endMs)}` : '–');
  return card(
    'Agents',
    r.agentsList.length === 0
      ? empty('No agents')
      : table(
          [
            { label: 'Agent', cell: (a) => h('strong', { text: a.id }) },
            {
              label: 'State',
              cell: (a) =>
                h('span', { class: `pill run-${a.state}`, dataset: { field: 'state' }, text: a.state }),
            },
            { label: 'Model', cell: (a) => `${a.model ?? '–'}${a.server ? ` @ ${a.server}` : ''}` },
            {
              label: 'Planned',
              cell: (a) => h('span', { dataset: { field: 'planned' }, text: span(a.planned) }),
            },
            {
              label: 'Actual',
              cell: (a) => h('span', { dataset: { field: 'actual' }, text: span(a.actual) }),
            },
            {
              label: 'Tokens',
              class: 'num',
              cell: (a) => h('span', { dataset: { field: 'tokens' }, text: fmt.int(a.tokens) }),
            },
            {
              label: 'Repairs',
              class: 'num',
              cell: (a) => h('span', { dataset: { field: 'repairs' }, text: String(a.repairs) }),
            },
            {
              label: 'Heals',
              class: 'num',
              cell: (a) => h('span', { dataset: { field: 'heals' }, text: String(a.heals) }),
            },
          ],
          r.agentsList,
          (a) => ({ dataset: { agent: a.id } }),
        ),
  );
}

function heals(r, start) {
  return card(
    `Heals (${r.healEvents.length})`,
    r.healEvents.length === 0
      ? empty(
          'No heals',
          'Failures the run recovers from by itself (a retry, another model, a rollback) show here.',
        )
      : table(
          [
            { label: 'When', class: 'nowrap', cell: (e) => `+${fmt.ms(e.atMs - start)}` },
            { label: 'Agent', class: 'nowrap', cell: (e) => e.agent ?? '–' },
            { label: 'Failure', cell: (e) => h('code', { text: e.kind }) },
            { label: 'Action', cell: (e) => e.action },
            { label: 'Detail', cell: (e) => e.detail || '–' },
          ],
          r.healEvents,
          () => ({ dataset: { heal: '' } }),
        ),
  );
}

/** the latest events the page lists (the API sends more; the whole log: `orchestra runs show`) */
const EVENTS_LISTED = 20;

function events(r, start) {
  const latest = r.events.slice(-EVENTS_LISTED).reverse();
  return card(
    'Latest events',
    r.events.length === 0
      ? empty('No events yet')
      : [
          table(
            [
              { label: '#', class: 'num', cell: (e) => String(e.seq) },
              { label: 'When', class: 'nowrap', cell: (e) => `+${fmt.ms(e.atMs - start)}` },
              { label: 'Event', cell: (e) => h('code', { text: e.type }) },
              { label: 'Agent', class: 'nowrap', cell: (e) => e.agent ?? '–' },
              { label: 'What', cell: (e) => e.summary },
            ],
            latest,
            (e) => ({ dataset: { seq: String(e.seq) } }),
          ),
          h(
            'p',
            { class: 'muted small' },
            `The latest ${latest.length} events; the whole log: `,
            h('code', { text: `orchestra runs show ${r.id}` }),
          ),
        ],
  );
}

function answerForm(r, drafts, answer) {
  const status = h('p', { class: 'muted', role: 'status', dataset: { field: 'answer-status' } });
  const text = h('textarea', {
    id: 'answer-text',
    name: 'answer',
    rows: 3,
    required: true,
    oninput: (e) => (drafts[r.id] = e.target.value),
  });
  text.value = drafts[r.id] ?? '';
  const button = h('button', { type: 'submit', text: 'Answer and resume' });
  return h(
    'form',
    {
      class: 'card answer',
      onsubmit: async (e) => {
        e.preventDefault();
        if (text.value.trim() === '') {
          status.className = 'error';
          status.textContent = 'Write an answer first.';
          return;
        }
        button.disabled = true;
        status.className = 'muted';
        status.textContent = 'Sending…';
        try {
          await answer(r.id, text.value);
        } catch (err) {
          status.className = 'error';
          status.textContent = `Not sent: ${err.message}`;
          button.disabled = false;
        }
      },
    },
    h('h2', { text: r.question ? `${waitingAgent(r)} asks` : 'The run waits for you' }),
    h('blockquote', { dataset: { field: 'question' }, text: r.question ?? '(no question recorded)' }),
    h('label', { for: 'answer-text', text: 'Your answer' }),
    text,
    h('div', { class: 'actions' }, button),
    status,
  );
}

function waitingAgent(r) {
  const a = r.agentsList.find((x) => x.state === 'waiting');
  return a ? `Agent ${a.id}` : 'The run';
}

function answeredNotice(r, sent) {
  const how = sent.result.resumed
    ? [
        `it resumes in process ${sent.result.resumed.pid}; its output goes to `,
        h('code', { text: sent.result.resumed.logFile }),
      ]
    : [sent.result.note ?? ''];
  return h(
    'section',
    { class: 'card notice', role: 'status', dataset: { answered: r.id } },
    h('p', { class: 'lede' }, h('strong', { text: 'Answered: ' }), `“${sent.text}”; `, ...how),
  );
}
