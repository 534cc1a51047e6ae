// Waiting for a promise at most a while on the injected clock: the chat path asks whether the first
// content came before a keep-alive is due.
import type { Clock } from '../lib/clock.ts';

// a fixed abort reason: abort() without one builds a DOMException with a stack trace each time
const SETTLED = new Error('settled');

/** 'resolved' / 'rejected' when `p` settles within `ms` of the clock, else 'pending' */
export async function settledWithin(
  clock: Clock,
  p: Promise<unknown>,
  ms: number,
): Promise<'resolved' | 'rejected' | 'pending'> {
  const stop = new AbortController();
  const outcome = p.then(
    () => 'resolved' as const,
    () => 'rejected' as const,
  );
  const timer = clock.sleep(ms, stop.signal).then(
    () => 'pending' as const,
    () => 'pending' as const,
  );
  const r = await Promise.race([outcome, timer]);
  stop.abort(SETTLED);
  return r;
}
