// Fleet: per server its memory, the models loaded with their expiry, the current visit, the swap
// the scheduler has committed to and the models waiting for a load.
import { card, empty, fmt, h, meter, table } from '../dom.js';

export function render({ state, elapsedMs }) {
  const f = state.fleet;
  if (f.servers.length === 0)
    return empty(
      'No local servers',
      'Add an Ollama server to the fleet file; cloud servers take every request at once and have no queue.',
    );
  const now = f.atMs + elapsedMs;
  return h(
    'div',
    { class: 'page' },
    h(
      'p',
      { class: 'lede' },
      `Policy `,
      h('strong', { text: f.policy }),
      ` · wait bound ${fmt.ms(f.waitTargetMs)}`,
    ),
    h(
      'div',
      { class: 'grid' },
      f.servers.map((s) => server(s, now, elapsedMs)),
    ),
    f.cloud.length > 0
      ? h('p', { class: 'muted' }, `Cloud: ${f.cloud.map((c) => `${c.name} (${c.kind})`).join(', ')}`)
      : null,
  );
}

function server(s, now, elapsedMs) {
  const share = s.memoryGiB > 0 ? s.usedGiB / s.memoryGiB : 0;
  return card(
    null,
    h(
      'div',
      { class: 'card-head', dataset: { server: s.name } },
      h('h2', { text: s.name }),
      h('span', { class: 'muted', text: s.url }),
    ),
    h(
      'div',
      { class: 'memory' },
      meter(
        s.usedGiB,
        s.memoryGiB,
        `memory used ${s.usedGiB.toFixed(1)} of ${s.memoryGiB.toFixed(1)} GiB`,
        share > 0.95 ? 'warn' : 'ok',
      ),
      h(
        'p',
        null,
        h('span', { dataset: { field: 'used' }, text: fmt.gib(s.usedGiB) }),
        ' used · ',
        h('span', { dataset: { field: 'free' }, text: fmt.gib(s.freeGiB) }),
        ` free of ${fmt.gib(s.memoryGiB)}`,
      ),
    ),
    s.models.length === 0
      ? empty('Nothing loaded', 'The first request for one of its models loads it.')
      : table(
          [
            { label: 'Model', cell: (m) => h('span', { dataset: { field: 'model' }, text: m.model }) },
            { label: 'State', cell: (m) => h('span', { class: `pill ${m.phase}`, text: m.phase }) },
            { label: 'Memory', class: 'num', cell: (m) => fmt.gib(m.memoryGiB) },
            { label: 'Running', class: 'num', cell: (m) => String(m.running) },
            { label: 'Queued', class: 'num', cell: (m) => String(m.queued) },
            { label: 'Expires', cell: (m) => expiry(m, now) },
          ],
          s.models,
          (m) => ({ dataset: { model: m.model } }),
        ),
    h(
      'dl',
      { class: 'facts' },
      h('dt', { text: 'Visit' }),
      h(
        'dd',
        { dataset: { field: 'visit' } },
        s.visit ? `${s.visit.model} for ${fmt.ms(Math.max(0, now - s.visit.sinceMs))}` : 'none',
      ),
      h('dt', { text: 'Next swap' }),
      h('dd', { dataset: { field: 'next-swap' } }, nextSwap(s)),
      h('dt', { text: 'Requests' }),
      h(
        'dd',
        null,
        h('span', { dataset: { field: 'in-flight' }, text: String(s.inFlight) }),
        ' running · ',
        h('span', { dataset: { field: 'queued' }, text: String(s.queued) }),
        ' queued',
      ),
    ),
    s.waitingFor.length > 0
      ? h(
          'p',
          { class: 'waiting', dataset: { field: 'waiting-for' } },
          'Waiting for a load: ',
          s.waitingFor.map((w, i) => [
            i > 0 ? ', ' : '',
            h('strong', { text: w.model }),
            ` (${w.queued} queued, oldest ${fmt.ms(w.oldestWaitMs + elapsedMs)})`,
          ]),
        )
      : null,
  );
}

function expiry(m, now) {
  if (m.expiresAtMs === undefined)
    return h('span', { class: 'muted', text: m.phase === 'resident' ? 'held by the scheduler' : '–' });
  const left = m.expiresAtMs - now;
  return left > 0 ? `in ${fmt.ms(left)}` : 'now';
}

function nextSwap(s) {
  const w = s.nextSwap;
  if (!w) return s.waitingFor.length > 0 ? 'none committed yet (the policy waits for its trigger)' : 'none';
  const parts = [];
  if (w.evict.length > 0) parts.push(`evict ${w.evict.join(', ')}`);
  if (w.load) parts.push(`load ${w.load}`);
  return `${parts.join(' → ')} (${w.stage})`;
}
