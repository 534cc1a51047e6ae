// A binary min-heap of simulator events by (time, insertion order): equal times stay FIFO so runs
// are deterministic. Sifts move a hole instead of swapping pairs (half the writes); since
// (at, seq) is a strict total order, the pop order is the same whatever the heap's layout.
export interface HeapEvent {
  at: number;
  seq: number;
}

export class EventHeap<E extends HeapEvent> {
  private items: E[] = [];

  get size(): number {
    return this.items.length;
  }

  push(e: E): void {
    const a = this.items;
    let i = a.length;
    a.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      const parent = a[p]!;
      if (!before(e, parent)) break;
      a[i] = parent;
      i = p;
    }
    a[i] = e;
  }

  pop(): E | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    const n = a.length;
    if (n === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let m = l;
      let child = a[l]!;
      if (l + 1 < n) {
        const right = a[l + 1]!;
        if (before(right, child)) {
          m = l + 1;
          child = right;
        }
      }
      if (!before(child, last)) break;
      a[i] = child;
      i = m;
    }
    a[i] = last;
    return top;
  }
}

function before(x: HeapEvent, y: HeapEvent): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
