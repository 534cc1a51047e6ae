// One controller that several signals can abort: what AbortSignal.any gives, without its composite
// signal, whose listeners are tracked through weak references (about 10 us per listener on the
// gateway's request path).

/**
 * Aborts `target` with `source`'s reason when `source` aborts (at once if it already has). Returns
 * what stops the forwarding: a long-lived source would otherwise keep a listener per call.
 */
export function forwardAbort(source: AbortSignal | undefined, target: AbortController): () => void {
  if (source === undefined) return () => {};
  if (source.aborted) {
    target.abort(source.reason);
    return () => {};
  }
  const onAbort = (): void => target.abort(source.reason);
  source.addEventListener('abort', onAbort, { once: true });
  return () => source.removeEventListener('abort', onAbort);
}
