// Token counts estimated from text, calibrated by the counts the server reports. The first
// estimate is 4 characters per token (close for English and code with BPE tokenizers); every
// model call then tells us how many tokens the prompt really had, and the ratio moves toward it.

const CHARS_PER_TOKEN = 4;
/** weight of a new observation in the moving average of actual/estimated */
const ALPHA = 0.3;
/** per message: role and separators in chat templates */
const MESSAGE_OVERHEAD = 4;

export interface TokenEstimatorState {
  /** actual tokens per estimated token, learnt from server counts (1 before any) */
  ratio: number;
  observations: number;
}

export class TokenEstimator {
  ratio: number;
  observations: number;

  constructor(state: TokenEstimatorState = { ratio: 1, observations: 0 }) {
    this.ratio = state.ratio;
    this.observations = state.observations;
  }

  /** raw estimate, before calibration */
  static raw(text: string): number {
    return Math.ceil(text.length / CHARS_PER_TOKEN);
  }

  text(text: string): number {
    return Math.ceil(TokenEstimator.raw(text) * this.ratio);
  }

  message(content: string): number {
    return this.text(content) + MESSAGE_OVERHEAD;
  }

  /**
   * The server counted `actual` prompt tokens for a prompt whose raw estimate was `rawEstimate`.
   * Ignores counts that cannot be right (0, or a cached prompt reported as a few tokens).
   */
  calibrate(rawEstimate: number, actual: number): void {
    if (!(rawEstimate > 0) || !(actual > 0)) return;
    const observed = actual / rawEstimate;
    if (observed < 0.1 || observed > 10) return;
    this.ratio = this.observations === 0 ? observed : this.ratio * (1 - ALPHA) + observed * ALPHA;
    this.observations++;
  }

  toJSON(): TokenEstimatorState {
    return { ratio: this.ratio, observations: this.observations };
  }
}

export function rawMessageTokens(contents: readonly string[]): number {
  return contents.reduce((sum, c) => sum + TokenEstimator.raw(c) + MESSAGE_OVERHEAD, 0);
}
