// Served and refused requests per alias over the last minute, in one-second buckets: constant
// work per row and bounded memory however many requests a minute brings.

const BUCKETS = 60;
const BUCKET_MS = 1000;

interface Counts {
  /** second (clock ms / 1000, floored) each bucket holds */
  second: number[];
  served: number[];
  refused: number[];
}

export interface RateCounts {
  served: number;
  refused: number;
}

export class RateWindow {
  private readonly byKey = new Map<string, Counts>();

  /** counts one finished request of `key` at `nowMs`: served when its status is below 400 */
  add(key: string, status: number, nowMs: number): void {
    let c = this.byKey.get(key);
    if (!c) {
      c = {
        second: new Array<number>(BUCKETS).fill(-1),
        served: new Array<number>(BUCKETS).fill(0),
        refused: new Array<number>(BUCKETS).fill(0),
      };
      this.byKey.set(key, c);
    }
    const sec = Math.floor(nowMs / BUCKET_MS);
    const i = sec % BUCKETS;
    if (c.second[i] !== sec) {
      c.second[i] = sec;
      c.served[i] = 0;
      c.refused[i] = 0;
    }
    if (status < 400) c.served[i]!++;
    else c.refused[i]!++;
  }

  /** per key, the requests of the last 60 s before `nowMs` */
  lastMinute(nowMs: number): Map<string, RateCounts> {
    const out = new Map<string, RateCounts>();
    const sec = Math.floor(nowMs / BUCKET_MS);
    for (const [key, c] of this.byKey) {
      let served = 0;
      let refused = 0;
      for (let i = 0; i < BUCKETS; i++)
        if (c.second[i]! > sec - BUCKETS && c.second[i]! <= sec) {
          served += c.served[i]!;
          refused += c.refused[i]!;
        }
      if (served + refused > 0) out.set(key, { served, refused });
      else this.byKey.delete(key);
    }
    return out;
  }
}
