// The hub: one push per topic per throttle window however many changes, rows and savings kept as the
// store would sum them, per-minute rates that fall back to zero, nothing done for nobody watching.
import { describe, expect, it } from 'vitest';
import { FleetSchema } from '../config/index.ts';
import { ManualClock } from '../lib/clock.ts';
import type { QueueSnapshot, SchedulerPort } from '../scheduler/scheduler-port.ts';
import { openUsageStore, type UsageRecord } from '../store/index.ts';
import { DashboardHub, type HubMessage } from './dashboard-hub.ts';
import type { RunSource, RunSummary } from './run-source.ts';
import { usageFeed } from './usage-feed.ts';

const fleet = FleetSchema.parse({
  servers: [
    { name: 'mini', url: 'http://127.0.0.1:11434', memoryGiB: 21.3 },
    { name: 'cloud', url: 'https://api.example.com', kind: 'openai', apiKeyEnv: 'X_KEY' },
  ],
  models: [
    { name: 'qwen', memoryGiB: 5, servers: ['mini'] },
    { name: 'gpt', servers: ['cloud'], price: { inputPerMTok: 2, outputPerMTok: 8 } },
  ],
  aliases: { coder: ['qwen', 'gpt'] },
});

function fakeScheduler(clock: ManualClock) {
  const listeners = new Set<() => void>();
  let queued: QueueSnapshot['servers'][number]['queued'] = [];
  const port: SchedulerPort = {
    submit: () => Promise.reject(new Error('not used')),
    snapshot: () => ({
      policy: 'gxa',
      waitTargetMs: 60_000,
      atMs: clock.now(),
      servers: [
        { name: 'mini', resident: [], memoryGiB: 21.3, usedGiB: 0, models: [], queued, inFlight: [] },
      ],
    }),
    subscribe(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return {
    port,
    change(q: typeof queued = queued) {
      queued = q;
      for (const l of listeners) l();
    },
    listeners,
  };
}

const row = (over: Partial<UsageRecord>): UsageRecord => ({
  timeMs: 0,
  requestId: 'r',
  api: 'openai',
  alias: 'coder',
  model: 'qwen',
  server: 'mini',
  local: true,
  keyName: 'alice',
  inputTokens: 1000,
  outputTokens: 100,
  queueMs: 0,
  loadMs: 0,
  prefillMs: 0,
  decodeMs: 0,
  totalMs: 10,
  attempts: 1,
  fallbackUsed: false,
  status: 200,
  ...over,
});

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 5, 1, 12));
  const sched = fakeScheduler(clock);
  const feed = usageFeed(openUsageStore(':memory:'));
  feed.store.record(row({ requestId: 'before', timeMs: clock.now() - 86_400_000 }));
  const hub = new DashboardHub({ fleet, clock, scheduler: sched.port, store: feed.store, usage: feed });
  const got: HubMessage[] = [];
  return { clock, sched, feed, hub, got, connect: () => hub.connect((m) => got.push(m)) };
}

describe('DashboardHub', () => {
  it('sends the whole state on connect, then one push per topic per throttle window', async () => {
    const { clock, sched, got, connect } = setup();
    connect();
    expect(got.map((m) => m.event)).toEqual(['state']);
    for (let i = 0; i < 50; i++) sched.change();
    await clock.advance(100);
    expect(got).toHaveLength(1);
    await clock.advance(200);
    expect(got.map((m) => m.event)).toEqual(['state', 'fleet', 'queues']);
  });

  it('pushes each row once, newest first, and keeps the savings as the store sums them', async () => {
    const { clock, feed, got, connect } = setup();
    connect();
    feed.store.record(row({ requestId: 'a', timeMs: clock.now() }));
    feed.store.record(row({ requestId: 'b', timeMs: clock.now(), keyName: 'bob' }));
    feed.store.record(row({ requestId: 'c', timeMs: clock.now(), local: false, status: 200 }));
    await clock.advance(300);
    const rows = got
      .filter((m) => m.event === 'requests')
      .flatMap((m) => m.data as Array<{ requestId: string }>);
    expect(rows.map((r) => r.requestId)).toEqual(['c', 'b', 'a']);
    const savings = got.filter((m) => m.event === 'savings').at(-1)!.data as {
      totalDollars: number;
      keys: Array<{ key: string; dollars: number }>;
      days: Array<{ day: string; dollars: number }>;
    };
    // 2 + 1 local rows of 1000 in / 100 out at $2 / $8 per million: the cloud row saves nothing
    const perRow = (1000 * 2 + 100 * 8) / 1e6;
    expect(savings.totalDollars).toBeCloseTo(3 * perRow, 12);
    expect(savings.keys).toEqual([
      expect.objectContaining({ key: 'alice', dollars: expect.closeTo(2 * perRow, 12) }),
      expect.objectContaining({ key: 'bob', dollars: expect.closeTo(perRow, 12) }),
    ]);
    expect(savings.days).toHaveLength(30);
    expect(savings.days.at(-1)).toMatchObject({ day: '2026-06-01' });
    expect(savings.days.at(-2)).toMatchObject({ day: '2026-05-31', dollars: expect.closeTo(perRow, 12) });
  });

  it('counts served and refused per alias over the last minute, and pushes them back to zero', async () => {
    const { clock, feed, hub, got, connect } = setup();
    connect();
    feed.store.record(row({ requestId: 'a' }));
    feed.store.record(row({ requestId: 'b', status: 429 }));
    await clock.advance(300);
    const coder = () => hub.state().queues.aliases.find((a) => a.alias === 'coder')!;
    expect(coder()).toMatchObject({ servedPerMin: 1, refusedPerMin: 1, chain: ['qwen', 'gpt'] });
    await clock.advance(61_000);
    expect(coder()).toMatchObject({ servedPerMin: 0, refusedPerMin: 0 });
    // the page is told within one refresh (5 s) of the counts falling
    await clock.advance(6000);
    const last = got.filter((m) => m.event === 'queues').at(-1)!.data as {
      aliases: Array<{ alias: string; servedPerMin: number }>;
    };
    expect(last.aliases.find((a) => a.alias === 'coder')!.servedPerMin).toBe(0);
  });

  it('does no work while nobody is connected and lets go of the scheduler on close', async () => {
    const { clock, sched, hub, got, connect } = setup();
    sched.change();
    await clock.advance(1000);
    const off = connect();
    off();
    sched.change();
    await clock.advance(1000);
    expect(got.map((m) => m.event)).toEqual(['state']);
    hub.close();
    expect(sched.listeners.size).toBe(0);
  });
});

describe('DashboardHub and the runs', () => {
  it('follows the run source only while a page is connected, and pushes its list', async () => {
    const clock = new ManualClock(0);
    const sched = fakeScheduler(clock);
    const listeners = new Set<() => void>();
    let list: RunSummary[] = [];
    const runs: RunSource = {
      list: () => list,
      get: () => undefined,
      subscribe(l) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      answer: () => Promise.reject(new Error('not used')),
    };
    const hub = new DashboardHub({ fleet, clock, scheduler: sched.port, runs, throttleMs: 100 });
    expect(listeners.size).toBe(0);
    const got: HubMessage[] = [];
    const off = hub.connect((m) => got.push(m));
    expect(listeners.size).toBe(1);
    list = [
      { id: 'r1', pipeline: 'p', state: 'running', emulated: false, agents: 1, agentsDone: 0, heals: 0 },
    ];
    for (const l of listeners) l();
    await clock.advance(100);
    expect(got.filter((m) => m.event === 'runs').map((m) => m.data)).toEqual([list]);
    off();
    expect(listeners.size).toBe(0);
    hub.close();
  });
});
