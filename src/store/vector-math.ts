// Vectors of embeddings: stored as float32 blobs, compared by cosine, lists fused by reciprocal rank.

export function encodeVector(v: readonly number[]): Uint8Array {
  return new Uint8Array(Float32Array.from(v).buffer);
}

export function decodeVector(blob: Uint8Array): Float32Array {
  // copy: the blob's buffer may be shared and unaligned for a Float32Array view
  const copy = new Uint8Array(blob);
  return new Float32Array(copy.buffer, 0, Math.floor(copy.byteLength / 4));
}

/** cosine similarity in [-1, 1]; 0 when either vector is zero or the lengths differ */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** the constant of reciprocal rank fusion (Cormack et al. 2009): damps the weight of the top ranks */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each list is ids best first; an id's score is the sum over the lists of
 * 1 / (RRF_K + rank). Returns ids by fused score, best first (ties: first seen first).
 */
export function reciprocalRankFusion<T>(lists: readonly (readonly T[])[]): { id: T; score: number }[] {
  const scores = new Map<T, number>();
  for (const list of lists)
    list.forEach((id, i) => scores.set(id, (scores.get(id) ?? 0) + 1 / (RRF_K + i + 1)));
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
