// Sections of a prompt, each with a priority, assembled within a token budget: the most important
// sections first; a section that does not fit is left out whole, never cut mid-sentence.
import type { TokenEstimator } from './token-estimate.ts';

export interface PromptSection {
  id: string;
  /** 0 = always included; higher numbers are left out first */
  priority: number;
  /** position in the assembled prompt */
  order: number;
  text: string;
}

export interface Assembled {
  text: string;
  included: string[];
  omitted: string[];
  tokens: number;
}

export function assemble(
  sections: readonly PromptSection[],
  budget: number,
  estimator: TokenEstimator,
): Assembled {
  const byPriority = [...sections]
    .filter((s) => s.text.trim() !== '')
    .sort((a, b) => a.priority - b.priority || a.order - b.order);
  const chosen: PromptSection[] = [];
  const omitted: string[] = [];
  let used = 0;
  for (const s of byPriority) {
    const cost = estimator.text(s.text) + 1;
    if (s.priority > 0 && used + cost > budget) {
      omitted.push(s.id);
      continue;
    }
    chosen.push(s);
    used += cost;
  }
  chosen.sort((a, b) => a.order - b.order);
  return {
    text: chosen.map((s) => s.text.trim()).join('\n\n'),
    included: chosen.map((s) => s.id),
    omitted,
    tokens: used,
  };
}
