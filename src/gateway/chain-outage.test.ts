// A local server that stops answering and comes back, through the chain executor on a manual clock.
import { describe, expect, it } from 'vitest';
import type { ChatEvent, ChatRequest } from '../core/chat.ts';
import { AppError } from '../core/errors/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { resolveChain } from './alias-chain.ts';
import { ChainExecutor } from './chain-executor.ts';
import { Cooldowns } from './cooldowns.ts';
import { newSummary } from './execution-summary.ts';
import { createGatewayMetrics } from './gateway-metrics.ts';
import { ServerOutages } from './server-outages.ts';
import { fakeScheduler, scriptedBackends, testFleet, textReply } from './testing/fakes.ts';

const T0 = Date.UTC(2026, 0, 1, 12, 1, 3);
let n = 0;
const request = (): ChatRequest => ({
  model: 'coder',
  messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
  stream: true,
  meta: { requestId: `r${++n}`, alias: 'coder' },
});

function setup() {
  const clock = new ManualClock(T0);
  // the defaults: one retry after 0.5 s, a cooldown of 60 s after 3 failures, health checks every 2 s
  const fleet = testFleet({ gateway: {} });
  const state = { down: true, probes: 0 };
  const backends = scriptedBackends(clock, (m, s) =>
    s.name === 'local' && state.down
      ? [{ error: new AppError('upstream_unavailable', 'connect ECONNREFUSED 127.0.0.1:11434') }]
      : textReply('ok', m.name),
  );
  backends.disabledReason = (s) =>
    s.name === 'cloud' ? 'environment variable ANTHROPIC_API_KEY is not set' : undefined;
  const cooldowns = new Cooldowns(fleet.gateway.cooldown, clock);
  const outages = new ServerOutages({
    clock,
    intervalMs: fleet.gateway.health.intervalSeconds * 1000,
    probe: () => {
      state.probes++;
      return Promise.resolve(!state.down);
    },
    onRecovered: (server) => {
      for (const m of fleet.models) if (m.servers.includes(server)) cooldowns.reset(m.name);
    },
  });
  const exec = new ChainExecutor({
    fleet,
    clock,
    scheduler: fakeScheduler(clock, fleet),
    backends: {
      ...backends,
      backendFor: (s, m) => (s.name === 'cloud' ? undefined : backends.backendFor(s, m)),
    },
    metrics: createGatewayMetrics(),
    cooldowns,
    outages,
    estimateTokens: () => 10,
  });
  const send = async (): Promise<{ error?: AppError; events: ChatEvent[] }> => {
    const events: ChatEvent[] = [];
    const summary = newSummary();
    const p = exec
      .execute(request(), resolveChain(fleet, 'coder'), {
        signal: new AbortController().signal,
        summary,
        arrivedAt: clock.now(),
      })
      .then(async (s) => {
        for await (const e of s) events.push(e);
        return undefined;
      })
      .catch((e: unknown) => e as AppError);
    await clock.advance(1000);
    return { error: await p, events };
  };
  return { clock, state, cooldowns, outages, backends, send };
}

describe('a local server that goes down and comes back', () => {
  it('names every step of the chain and why it was skipped', async () => {
    const t = setup();
    const first = await t.send();
    expect(first.error).toMatchObject({ code: 'upstream_unavailable' });
    expect(first.error!.message).toContain('big: connect ECONNREFUSED');
    expect(t.backends.calls).toHaveLength(2); // retried once, then marked down
    const later = await t.send();
    expect(later.error!.message).toBe(
      'big: local down since 12:01:03 UTC (connect ECONNREFUSED 127.0.0.1:11434), next check in 2 s; ' +
        'small: local down since 12:01:03 UTC (connect ECONNREFUSED 127.0.0.1:11434), next check in 2 s; ' +
        'claude: cloud is disabled: environment variable ANTHROPIC_API_KEY is not set',
    );
    expect(later.error!.retryAfterSeconds).toBe(2);
    // skipped, not sent to a dead socket
    expect(t.backends.calls).toHaveLength(2);
  });

  it('is used again within one health interval of answering, however many requests failed', async () => {
    const t = setup();
    for (let i = 0; i < 10; i++) await t.send();
    await t.clock.advance(30_000); // down for half a minute: probes every 2 s failed
    expect(t.state.probes).toBeGreaterThanOrEqual(19); // every 2 s of the 40 s, no back-off
    t.state.down = false;
    const back = t.clock.now();
    await t.clock.advance(2000);
    expect(t.outages.outage('local')).toBeUndefined();
    const ok = await t.send();
    expect(ok.error).toBeUndefined();
    expect(ok.events.some((e) => e.type === 'text')).toBe(true);
    expect(t.clock.now() - back).toBeLessThanOrEqual(2000 + 1000);
    // the failures while it was down did not put its models in a 60 s cooldown
    expect(t.cooldowns.active()).toEqual([]);
  });
});
