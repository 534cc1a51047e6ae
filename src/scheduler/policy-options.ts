// The policy's options from the fleet config's scheduler section (seconds there, ms here).
import type { FleetConfig } from '../config/schema.ts';
import { DEFAULT_POLICY_OPTIONS, type PolicyOptions } from './scheduler-types.ts';

export function policyOptionsOf(fleet: FleetConfig): PolicyOptions {
  const s = fleet.scheduler;
  return {
    ...DEFAULT_POLICY_OPTIONS,
    waitTargetMs: s.waitTargetSeconds * 1000,
    minVisitMs: s.minVisitSeconds === undefined ? undefined : s.minVisitSeconds * 1000,
    admissionCapMs: s.admissionCapSeconds * 1000,
    agingWeight: s.agingWeight,
    hard: s.hard,
  };
}
