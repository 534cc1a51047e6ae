// Per-agent memory stays bounded: a gateway in front of Claude Code sees a new session id per
// session, for months; each must not leave a home-server entry behind forever.
import { describe, expect, it } from 'vitest';
import type { FleetCosts } from '../cost/model-costs.ts';
import { decide } from './decide.ts';
import { policyByName } from './policies/index.ts';
import { createSchedulerState, MAX_REMEMBERED_AGENTS } from './scheduler-state.ts';
import { DEFAULT_POLICY_OPTIONS } from './scheduler-types.ts';

function fleet(): FleetCosts {
  const model = {
    server: 's',
    model: 'm',
    memoryGiB: 10,
    loadSeconds: 10,
    unloadSeconds: 1,
    prefillTokensPerSecond: 1000,
    decodeTokensPerSecond: 50,
  };
  const server = { server: 's', memoryGiB: 24, parallel: 1, maxLoadedModels: 3, queueMax: 10 };
  return { servers: new Map([['s', server]]), models: new Map([['m', model]]) };
}

describe('decide: memory per agent', () => {
  it('remembers the home server and cached context of the most recent agents only', () => {
    const policy = policyByName('gxa');
    const state = createSchedulerState('gxa', fleet(), DEFAULT_POLICY_OPTIONS, { s: ['m'] });
    const n = MAX_REMEMBERED_AGENTS + 5;
    for (let i = 0; i < n; i++) {
      const request = {
        id: `r${i}`,
        model: 'm',
        agentId: `session-${i}`,
        anonymous: false,
        arrivalMs: i,
        serviceMs: 1,
        contextTokens: 0,
        priority: 1,
      };
      decide(policy, state, { type: 'arrival', request }, i);
      decide(policy, state, { type: 'completion', requestId: request.id }, i + 0.5);
    }
    expect(state.requests.size).toBe(0);
    expect(state.home.size).toBe(MAX_REMEMBERED_AGENTS);
    expect(state.home.has(`session-${n - 1}`)).toBe(true);
    expect(state.home.has('session-0')).toBe(false);
    // the resident model is never unloaded, so its record of cached contexts is bounded the same way
    expect(state.servers[0]!.models.get('m')!.cached.size).toBe(MAX_REMEMBERED_AGENTS);
  });
});
