// Token counts estimated from text, calibrated by the counts the server reports. The first
// estimate is 4 characters per token (close for English and code with BPE tokenizers); every
// model call then tells us how many tokens the prompt really had, and the ratio moves toward it.

const CHARS_PER_TOKEN = 4;
/**
 * Weights of a new observation in the moving average of actual/estimated. A count above the
 * estimate is believed at once (an underestimate overflows the window); one below it only slowly,
 * because a server may count less than the prompt: Ollama versions that leave cached prompt
 * tokens out of prompt_eval_count, or a prompt it truncated.
 */
const ALPHA_UP = 0.5;
const ALPHA_DOWN = 0.1;
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
   * Ignores counts that cannot be right (0, or a cached prompt reported as a few tokens). The
   * first count starts from the plain estimate's ratio at the lowest, for the same reason.
   */
  calibrate(rawEstimate: number, actual: number): void {
    if (!(rawEstimate > 0) || !(actual > 0)) return;
    const observed = actual / rawEstimate;
    if (observed < 0.1 || observed > 10) return;
    const alpha = observed > this.ratio ? ALPHA_UP : ALPHA_DOWN;
    this.ratio =
      this.observations === 0 ? Math.max(observed, 1) : this.ratio * (1 - alpha) + observed * alpha;
    this.observations++;
  }

  toJSON(): TokenEstimatorState {
    return { ratio: this.ratio, observations: this.observations };
  }
}

export function rawMessageTokens(contents: readonly string[]): number {
  return contents.reduce((sum, c) => sum + TokenEstimator.raw(c) + MESSAGE_OVERHEAD, 0);
}
