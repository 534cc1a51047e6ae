// Which rungs of the tool-call repair ladder apply to a model's replies, and which model
// interprets for rung 5: the alias's tool_calls setting, else the model's, else the default
// (salvage for a model on an Ollama server, off for a cloud one: cloud APIs return native calls).
import type { FleetConfig, ModelConfig, RepairMode } from './schema.ts';

export interface RepairSettings {
  mode: RepairMode;
  /** the fleet model that interprets a broken call (full mode) */
  interpreter: string;
}

export function defaultRepairMode(fleet: Pick<FleetConfig, 'servers'>, model: ModelConfig): RepairMode {
  const local = model.servers.some((n) => fleet.servers.find((s) => s.name === n)?.kind === 'ollama');
  return local ? 'salvage' : 'off';
}

/** the settings for a reply of `model`, asked for under the public name `alias` */
export function repairSettingsFor(
  fleet: Pick<FleetConfig, 'servers' | 'aliasToolCalls'>,
  model: ModelConfig,
  alias: string | undefined,
): RepairSettings {
  const byAlias = alias !== undefined ? fleet.aliasToolCalls[alias] : undefined;
  return {
    mode: byAlias?.repair ?? model.tool_calls?.repair ?? defaultRepairMode(fleet, model),
    interpreter: byAlias?.interpreter ?? model.tool_calls?.interpreter ?? model.name,
  };
}
