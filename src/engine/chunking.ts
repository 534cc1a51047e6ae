// Input too large for one prompt (above 70% of the model's context window) is split into chunks
// at paragraph, then line, then word boundaries; the specialist reads them one by one and keeps
// notes (specialist-run.ts).
import type { TokenEstimator } from './token-estimate.ts';

export const CHUNK_THRESHOLD = 0.7;

export function needsChunking(text: string, contextWindow: number, estimator: TokenEstimator): boolean {
  return estimator.text(text) > contextWindow * CHUNK_THRESHOLD;
}

/** Splits `text` into pieces of at most `maxTokens` each; joined back they give the text. */
export function chunkText(text: string, maxTokens: number, estimator: TokenEstimator): string[] {
  if (!(maxTokens > 0)) throw new RangeError(`chunkText: maxTokens must be positive, found ${maxTokens}`);
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces(text, maxTokens, estimator)) {
    if (current && estimator.text(current + piece) > maxTokens) {
      chunks.push(current);
      current = '';
    }
    current += piece;
  }
  if (current) chunks.push(current);
  return chunks;
}

/** the text cut at the coarsest boundary that leaves every piece under the limit */
function pieces(text: string, maxTokens: number, estimator: TokenEstimator): string[] {
  for (const boundary of [/(?<=\n\n)/, /(?<=\n)/, /(?<=\s)/]) {
    const parts = text.split(boundary);
    if (parts.every((p) => estimator.text(p) <= maxTokens)) return parts;
  }
  // a single word longer than a chunk: cut it by characters
  const perChunk = Math.max(1, Math.floor((maxTokens / estimator.ratio) * 4));
  const out: string[] = [];
  for (let i = 0; i < text.length; i += perChunk) out.push(text.slice(i, i + perChunk));
  return out;
}
