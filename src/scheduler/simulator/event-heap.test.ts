import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventHeap } from './event-heap.ts';

describe('EventHeap', () => {
  it('pops in (time, insertion) order, whatever the interleaving of pushes and pops', () => {
    // times from a small set so that many events tie and FIFO order among them is exercised
    const op = fc.oneof(fc.integer({ min: 0, max: 5 }), fc.constant('pop' as const));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const heap = new EventHeap<{ at: number; seq: number }>();
        const reference: Array<{ at: number; seq: number }> = [];
        let seq = 0;
        const popped: number[] = [];
        const expected: number[] = [];
        for (const o of ops) {
          if (o === 'pop') {
            popped.push(heap.pop()?.seq ?? -1);
            reference.sort((x, y) => x.at - y.at || x.seq - y.seq);
            expected.push(reference.shift()?.seq ?? -1);
          } else {
            const e = { at: o, seq: seq++ };
            heap.push(e);
            reference.push(e);
          }
        }
        expect(popped).toEqual(expected);
        expect(heap.size).toBe(reference.length);
      }),
      { numRuns: 200 },
    );
  });
});
