// Per-agent memory (an agent's home server, its previous prompt) keyed by ids that clients choose
// freely: Claude Code sends a new session id per session, so a gateway that runs for months sees
// an unbounded number of them. Keeping the most recently used entries bounds the memory; an agent
// forgotten this way only loses a routing preference or a cache estimate.

/** sets `key` as the most recently used entry, dropping the least recently used beyond `cap` */
export function setBounded<K, V>(map: Map<K, V>, key: K, value: V, cap: number): void {
  // re-insertion moves the key to the end of the Map's insertion order (most recent)
  map.delete(key);
  map.set(key, value);
  while (map.size > cap) {
    const oldest = map.keys().next();
    if (oldest.done) break;
    map.delete(oldest.value);
  }
}
