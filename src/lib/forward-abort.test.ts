import { describe, expect, it } from 'vitest';
import { forwardAbort } from './forward-abort.ts';

describe('forwardAbort', () => {
  it('aborts the target with the source reason, later or at once', () => {
    const later = new AbortController();
    const target = new AbortController();
    forwardAbort(later.signal, target);
    forwardAbort(undefined, target);
    expect(target.signal.aborted).toBe(false);
    later.abort('gone');
    expect(target.signal.reason).toBe('gone');

    const already = new AbortController();
    already.abort('before');
    const second = new AbortController();
    forwardAbort(already.signal, second);
    expect(second.signal.reason).toBe('before');
  });

  it('stops forwarding when told to', () => {
    const source = new AbortController();
    const target = new AbortController();
    forwardAbort(source.signal, target)();
    source.abort('late');
    expect(target.signal.aborted).toBe(false);
  });
});
