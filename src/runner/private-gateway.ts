// The gateway a run composes for its own engine lives in process and listens on no socket: only
// the run's code can reach it, through an injected fetch. The fleet's master key and named keys
// guard the served gateway (`orchestra serve`); applied here they would refuse every engine call,
// which holds no key to send. So the run composes its private gateway open.
import type { FleetConfig } from '../config/index.ts';

export function privateGateway(
  fleet: FleetConfig,
  env: Readonly<Record<string, string | undefined>>,
): { fleet: FleetConfig; env: Readonly<Record<string, string | undefined>> } {
  // the rest of the environment stays: cloud providers' API keys are read from it
  const rest = Object.fromEntries(Object.entries(env).filter(([k]) => k !== fleet.gateway.masterKeyEnv));
  return { fleet: { ...fleet, gateway: { ...fleet.gateway, keys: [] } }, env: rest };
}
