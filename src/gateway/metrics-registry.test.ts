import { describe, expect, it } from 'vitest';
import { MetricsRegistry } from './metrics-registry.ts';

describe('metrics registry', () => {
  it('renders counters, gauges and histograms in the Prometheus text format', () => {
    const r = new MetricsRegistry();
    const c = r.counter('req_total', 'Requests');
    const g = r.gauge('queue', 'Queue');
    const h = r.histogram('wait_seconds', 'Wait', [0.1, 1]);
    c.inc({ api: 'openai', status: '200' });
    c.inc({ status: '200', api: 'openai' }, 2);
    c.inc({ api: 'x"y\\z\n' });
    g.set({}, 3);
    g.add({}, -1);
    h.observe({ model: 'm' }, 0.05);
    h.observe({ model: 'm' }, 0.5);
    h.observe({ model: 'm' }, 5);
    expect(c.get({ api: 'openai', status: '200' })).toBe(3);
    expect(r.render()).toBe(
      [
        '# HELP req_total Requests',
        '# TYPE req_total counter',
        'req_total{api="openai",status="200"} 3',
        'req_total{api="x\\"y\\\\z\\n"} 1',
        '# HELP queue Queue',
        '# TYPE queue gauge',
        'queue 2',
        '# HELP wait_seconds Wait',
        '# TYPE wait_seconds histogram',
        'wait_seconds_bucket{model="m",le="0.1"} 1',
        'wait_seconds_bucket{model="m",le="1"} 2',
        'wait_seconds_bucket{model="m",le="+Inf"} 3',
        'wait_seconds_sum{model="m"} 5.55',
        'wait_seconds_count{model="m"} 3',
        '',
      ].join('\n'),
    );
    expect(() => c.inc({}, -1)).toThrow(/cannot decrease/);
  });
});
