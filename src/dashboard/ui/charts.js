// Charts as SVG: a stacked bar chart (savings per day and key) and a Gantt of planned against
// actual spans (runs). Colours come from CSS classes (series-0 ... series-7).
import { fmt, s } from './dom.js';

const SERIES = 8;
export const seriesClass = (i) => `series-${i % SERIES}`;

/** days: [{day, byKey: {key: value}}]; keys in legend order */
export function stackedBars(
  days,
  keys,
  { label, format = fmt.dollars, axisFormat = shortDollars, width = 640 } = {},
) {
  const W = Math.max(280, width);
  const H = Math.round(Math.min(260, Math.max(180, W * 0.35)));
  const pad = { l: 56, r: 8, t: 10, b: 28 };
  const max = Math.max(0, ...days.map((d) => Object.values(d.byKey).reduce((a, b) => a + b, 0)));
  const top = niceCeil(max);
  const bw = (W - pad.l - pad.r) / Math.max(1, days.length);
  const y = (v) => pad.t + (H - pad.t - pad.b) * (1 - (top > 0 ? v / top : 0));
  const grid = [0, 0.5, 1].map((f) =>
    s(
      'g',
      null,
      s('line', { class: 'grid-line', x1: pad.l, x2: W - pad.r, y1: y(top * f), y2: y(top * f) }),
      s(
        'text',
        { class: 'axis', x: pad.l - 6, y: y(top * f) + 4, 'text-anchor': 'end' },
        axisFormat(top * f),
      ),
    ),
  );
  const bars = days.map((d, i) => {
    let acc = 0;
    const x = pad.l + i * bw + bw * 0.15;
    const total = Object.values(d.byKey).reduce((a, b) => a + b, 0);
    return s(
      'g',
      { dataset: { day: d.day } },
      s('title', null, `${d.day}: ${format(total)}`),
      keys.map((k, ki) => {
        const v = d.byKey[k] ?? 0;
        if (v <= 0) return null;
        const y0 = y(acc);
        acc += v;
        return s('rect', {
          class: seriesClass(ki),
          x,
          width: bw * 0.7,
          y: y(acc),
          height: Math.max(0.5, y0 - y(acc)),
        });
      }),
      i % Math.ceil(days.length / 6) === 0 || i === days.length - 1
        ? s(
            'text',
            {
              class: 'axis',
              x: x + bw * 0.35,
              y: H - 8,
              'text-anchor': i === days.length - 1 ? 'end' : 'middle',
            },
            d.day.slice(5),
          )
        : null,
    );
  });
  return s(
    'svg',
    { class: 'chart', viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': label ?? 'chart' },
    grid,
    bars,
  );
}

/** rows: [{id, planned?: {startMs, endMs}, actual?: {startMs, endMs?}}]; nowMs ends open spans */
export function gantt(rows, nowMs, width = 640) {
  const W = Math.max(280, width);
  const rowH = 26;
  const pad = { l: 110, r: 8, t: 18, b: 22 };
  const ends = rows
    .flatMap((r) => [r.planned?.endMs, r.actual?.endMs ?? (r.actual ? nowMs : undefined)])
    .filter((v) => v !== undefined);
  const span = Math.max(1, ...ends);
  const H = pad.t + rows.length * rowH + pad.b;
  const x = (ms) => pad.l + ((W - pad.l - pad.r) * ms) / span;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) =>
    s(
      'g',
      null,
      s('line', { class: 'grid-line', x1: x(span * f), x2: x(span * f), y1: pad.t - 4, y2: H - pad.b }),
      s(
        'text',
        {
          class: 'axis',
          x: x(span * f),
          y: H - 6,
          'text-anchor': f === 1 ? 'end' : f === 0 ? 'start' : 'middle',
        },
        fmt.ms(span * f),
      ),
    ),
  );
  const bars = rows.map((r, i) => {
    const top = pad.t + i * rowH;
    return s(
      'g',
      { dataset: { agent: r.id } },
      s('text', { class: 'label', x: pad.l - 6, y: top + rowH / 2 + 4, 'text-anchor': 'end' }, r.id),
      r.planned
        ? s(
            'rect',
            {
              class: 'planned',
              dataset: { startMs: r.planned.startMs, endMs: r.planned.endMs },
              x: x(r.planned.startMs),
              y: top + 3,
              width: Math.max(1, x(r.planned.endMs) - x(r.planned.startMs)),
              height: 8,
            },
            s('title', null, `${r.id} planned ${fmt.ms(r.planned.startMs)} – ${fmt.ms(r.planned.endMs)}`),
          )
        : null,
      r.actual
        ? s(
            'rect',
            {
              class: `actual ${r.actual.endMs === undefined ? 'open' : ''}`,
              dataset: { startMs: r.actual.startMs, endMs: r.actual.endMs ?? '' },
              x: x(r.actual.startMs),
              y: top + 13,
              width: Math.max(1, x(r.actual.endMs ?? nowMs) - x(r.actual.startMs)),
              height: 9,
            },
            s(
              'title',
              null,
              `${r.id} actual ${fmt.ms(r.actual.startMs)} – ${r.actual.endMs === undefined ? 'running' : fmt.ms(r.actual.endMs)}`,
            ),
          )
        : null,
    );
  });
  return s(
    'svg',
    {
      class: 'chart gantt',
      viewBox: `0 0 ${W} ${H}`,
      role: 'img',
      'aria-label': 'planned and actual schedule',
    },
    ticks,
    bars,
  );
}

function shortDollars(v) {
  if (v === 0) return '$0';
  return v >= 100 ? `$${Math.round(v)}` : `$${Number(v.toPrecision(2))}`;
}

function niceCeil(v) {
  if (v <= 0) return 0;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= v) return m * p;
  return 10 * p;
}
