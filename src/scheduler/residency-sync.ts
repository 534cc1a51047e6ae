// Initial residency for the runner: what each local server has loaded right now, read through
// ModelServerControl.loaded (/api/ps on Ollama), restricted to fleet models that server may hold.
import type { FleetConfig } from '../config/schema.ts';
import type { ModelServerControl } from './scheduler-port.ts';
import type { InitialResidency } from './scheduler-state.ts';

/** reads what each local server has loaded (via /api/ps); a server that does not answer counts as empty */
export async function syncResidency(
  fleet: FleetConfig,
  control: ModelServerControl,
): Promise<InitialResidency> {
  const out: Record<string, string[]> = {};
  const known = new Set(fleet.models.map((m) => m.name));
  for (const s of fleet.servers) {
    if (s.kind !== 'ollama') continue;
    const loaded = await control.loaded(s.name).catch(() => [] as string[]);
    out[s.name] = loaded.filter(
      (m) => known.has(m) && fleet.models.find((x) => x.name === m)!.servers.includes(s.name),
    );
  }
  return out;
}
