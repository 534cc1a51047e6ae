// Aggregate decode speed-up with b concurrent streams (llama.cpp batched-bench figures, DESIGN.md
// "Cost model"): aggregate rate = single-stream rate * g(b).
const TABLE: ReadonlyArray<readonly [streams: number, gain: number]> = [
  [1, 1],
  [2, 1.22],
  [4, 1.79],
  [8, 3.35],
  [16, 5.8],
  [32, 11.2],
];

/** g(b): interpolated linearly in log2(b) between the measured points; flat beyond 32 streams */
export function batchingGain(streams: number): number {
  if (!(streams > 1)) return 1;
  for (let i = 1; i < TABLE.length; i++) {
    const [b1, g1] = TABLE[i]!;
    if (streams <= b1) {
      const [b0, g0] = TABLE[i - 1]!;
      const t = Math.log2(streams / b0) / Math.log2(b1 / b0);
      return g0 + t * (g1 - g0);
    }
  }
  return TABLE[TABLE.length - 1]![1];
}
