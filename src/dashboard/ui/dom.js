// Small DOM helpers: elements built with createElement (the page's CSP allows no inline style or
// script, so nothing is parsed from HTML strings), and number formats.

/** h('div', {class: 'x', dataset: {a: '1'}}, child, 'text') */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

const SVG = 'http://www.w3.org/2000/svg';
export function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  setAttrs(el, attrs);
  append(el, children);
  return el;
}

function setAttrs(el, attrs) {
  if (!attrs) return;
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'text') el.textContent = String(v);
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export const fmt = {
  gib: (n) => `${n.toFixed(1)} GiB`,
  int: (n) => Math.round(n).toLocaleString('en-US'),
  dollars: (n) => (n >= 100 ? `$${Math.round(n).toLocaleString('en-US')}` : `$${n.toFixed(n >= 1 ? 2 : 4)}`),
  /** ms as 850 ms, 12.3 s, 4 min 05 s, 2 h 10 min */
  ms(ms) {
    if (ms === undefined || ms === null) return '–';
    if (ms < 1000) return `${Math.round(ms)} ms`;
    const sec = ms / 1000;
    if (sec < 60) return `${sec.toFixed(1)} s`;
    const m = Math.floor(sec / 60);
    if (m < 60) return `${m} min ${String(Math.floor(sec % 60)).padStart(2, '0')} s`;
    return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
  },
  time: (ms) => new Date(ms).toLocaleTimeString('en-GB', { hour12: false }),
  dateTime: (ms) => new Date(ms).toLocaleString('en-GB', { hour12: false }),
};

/** a section with a title and a body, or the page's empty state */
export function card(title, ...body) {
  return h('section', { class: 'card' }, title ? h('h2', { text: title }) : null, ...body);
}

export function empty(title, hint) {
  return h(
    'div',
    { class: 'empty', dataset: { empty: '' } },
    h('p', { class: 'empty-title', text: title }),
    hint ? h('p', { text: hint }) : null,
  );
}

/** a table: columns [{label, cell: (row) => node|string, class?}] */
export function table(columns, rows, rowAttrs = () => ({})) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          columns.map((c) => h('th', { scope: 'col', class: c.class }, c.label)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            rowAttrs(r),
            columns.map((c) => h('td', { class: c.class, dataset: { label: c.label } }, c.cell(r))),
          ),
        ),
      ),
    ),
  );
}

/** a bar from 0 to max with the value's share filled (SVG: no inline style needed) */
export function meter(value, max, label, tone = 'ok') {
  const share = max > 0 ? Math.min(1, value / max) : 0;
  return s(
    'svg',
    {
      class: `meter ${tone}`,
      viewBox: '0 0 100 8',
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-label': label,
    },
    s('rect', { class: 'meter-bg', x: 0, y: 0, width: 100, height: 8, rx: 2 }),
    s('rect', { class: 'meter-fill', x: 0, y: 0, width: (share * 100).toFixed(2), height: 8, rx: 2 }),
  );
}
