// Detects an arbiter repeating itself: the same decision (compared as canonical JSON) made
// `repeats` times since the task last moved forward. Detection happens before the repeated
// decision is executed, so a loop costs at most `repeats` identical decisions.
import type { ArbiterDecision } from './engine-types.ts';

export class LoopDetector {
  private readonly repeats: number;
  private counts = new Map<string, number>();
  private progress = -1;

  constructor(repeats: number) {
    this.repeats = repeats;
  }

  /** Counts `d`; true when it has now been made `repeats` times without progress. */
  observe(d: ArbiterDecision, progress: number): boolean {
    if (progress !== this.progress) {
      this.counts.clear();
      this.progress = progress;
    }
    const key = canonical(d);
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n >= this.repeats;
  }

  /** after a loop is broken, counting starts afresh */
  reset(): void {
    this.counts.clear();
  }
}

export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(typeof value === 'string' ? value.trim().replace(/\s+/g, ' ').toLowerCase() : value);
}
