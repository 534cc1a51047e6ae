// What-if variants of a fleet: more servers like the first, or more usable memory on every server.
import { ConfigError } from '../config/config-error.ts';
import type { FleetConfig } from '../config/schema.ts';

export interface WhatIf {
  /** servers to add, each a copy of the first local server that starts empty */
  extraServers?: number;
  /** usable memory of every local server, GiB */
  memoryGiB?: number;
}

export function applyWhatIf(fleet: FleetConfig, whatIf: WhatIf): FleetConfig {
  let servers = fleet.servers.map((s) =>
    whatIf.memoryGiB !== undefined && s.kind === 'ollama' ? { ...s, memoryGiB: whatIf.memoryGiB } : s,
  );
  let models = fleet.models;
  const extra = whatIf.extraServers ?? 0;
  if (extra > 0) {
    const first = servers.find((s) => s.kind === 'ollama');
    if (!first)
      throw new ConfigError('fleet', [{ path: 'servers', message: 'no local server to copy for --servers' }]);
    // Named like "mini+1": the first extra copy of server "mini".
    const copies = Array.from({ length: extra }, (_, i) => ({
      ...first,
      name: `${first.name}+${i + 1}`,
      resident: [],
    }));
    servers = [...servers, ...copies];
    models = models.map((m) =>
      m.servers.includes(first.name) ? { ...m, servers: [...m.servers, ...copies.map((c) => c.name)] } : m,
    );
  }
  return { ...fleet, servers, models };
}
