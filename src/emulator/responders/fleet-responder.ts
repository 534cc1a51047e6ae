// The responder of an emulated fleet: a script's rules (from `--script` or a test) first, then
// each model's own rules and the fleet's `emulator.rules`, with the models' toolCallForms, seeds
// and callTools from the fleet config; the deterministic default reply otherwise.
import type { ModelConfig } from '../../config/schema.ts';
import type { FleetEmulatorConfig } from '../../config/emulator-schema.ts';
import type { Responder } from './responder.ts';
import { scriptResponder, type Script } from './script-responder.ts';

export interface FleetReplies {
  models: readonly ModelConfig[];
  /** the fleet config's top-level `emulator` */
  emulator?: FleetEmulatorConfig | undefined;
}

export function fleetResponder(fleet: FleetReplies, script?: Script, fallback?: Responder): Responder {
  return scriptResponder(script, {
    models: fleet.models,
    ...(fleet.emulator ? { fleetRules: fleet.emulator.rules, unmatched: fleet.emulator.unmatched } : {}),
    ...(fallback ? { fallback } : {}),
  });
}
