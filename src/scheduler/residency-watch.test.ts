// After a failed load or unload the scheduler asks the server what it holds and believes it: an
// outage must not leave it counting a model as unloaded that the server still holds (pinned).
import { describe, expect, it } from 'vitest';
import { FleetSchema } from '../config/schema.ts';
import { AppError } from '../core/errors/index.ts';
import { ManualClock } from '../lib/clock.ts';
import { reconcileResidency } from './reconcile-residency.ts';
import type { ModelServerControl } from './scheduler-port.ts';
import { SchedulerService } from './scheduler-service.ts';
import { createSchedulerState } from './scheduler-state.ts';
import { resolveModelCosts } from '../cost/model-costs.ts';
import { DEFAULT_POLICY_OPTIONS } from './scheduler-types.ts';

const fleet = FleetSchema.parse({
  servers: [{ name: 'mini', url: 'http://127.0.0.1:11434', profile: 'm4-32', memoryGiB: 21.3 }],
  models: [
    { name: 'big', paramsB: 32, memoryGiB: 18.5, contextTokens: 4096, servers: ['mini'], loadSeconds: 40 },
    { name: 'other', paramsB: 32, memoryGiB: 18.5, contextTokens: 4096, servers: ['mini'], loadSeconds: 40 },
  ],
});

const down = (): Promise<never> =>
  Promise.reject(new AppError('upstream_unavailable', 'connect ECONNREFUSED'));

describe('residency after failures', () => {
  it('counts a model the server kept through a failed unload as resident again', async () => {
    const clock = new ManualClock(0);
    let asked = 0;
    const control: ModelServerControl = {
      load: down,
      unload: down,
      // down for the first two questions, then the server is back with the pinned model
      loaded: () => (++asked > 2 ? Promise.resolve(['big']) : down()),
    };
    const service = new SchedulerService({ fleet, control, clock, resident: { mini: ['big'] } });
    const failed = service
      .submit({ requestId: 'r', model: 'other', promptTokens: 10 })
      .catch((e: unknown) => e);
    await clock.runAll();
    expect(await failed).toMatchObject({ code: 'upstream_unavailable' });
    expect(asked).toBe(3);
    expect(service.snapshot().servers[0]!.resident).toEqual(['big']);
    service.close();
  });

  it('corrects only idle models, and nothing while a load or unload is under way', () => {
    const state = createSchedulerState('gxa', resolveModelCosts(fleet), DEFAULT_POLICY_OPTIONS, {
      mini: ['big'],
    });
    const s = state.servers[0]!;
    const big = s.models.get('big')!;
    const other = s.models.get('other')!;
    big.running.set('r1', 1000);
    reconcileResidency(s, ['other'], 5);
    expect([big.phase, other.phase]).toEqual(['resident', 'resident']); // big is running a call
    big.running.clear();
    reconcileResidency(s, ['other'], 6);
    expect([big.phase, other.phase, other.loadedAtMs]).toEqual(['absent', 'resident', 5]);
    s.pending = { kind: 'load', model: 'big' };
    reconcileResidency(s, ['big'], 7);
    expect(big.phase).toBe('absent');
  });
});
