// A binary min-heap of simulator events by (time, insertion order): equal times stay FIFO so runs
// are deterministic.
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
    a.push(e);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      const t = a[i]!;
      a[i] = a[p]!;
      a[p] = t;
      i = p;
    }
  }

  pop(): E | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length === 0 || last === undefined) return top;
    a[0] = last;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < a.length && before(a[l]!, a[m]!)) m = l;
      if (r < a.length && before(a[r]!, a[m]!)) m = r;
      if (m === i) break;
      const t = a[i]!;
      a[i] = a[m]!;
      a[m] = t;
      i = m;
    }
    return top;
  }
}

function before(x: HeapEvent, y: HeapEvent): boolean {
  return x.at < y.at || (x.at === y.at && x.seq < y.seq);
}
