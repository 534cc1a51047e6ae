// After a crash: was a logged, unfinished effect applied? The run log holds the call's EffectPlan
// (from tool_effect_started) and no result. Files are compared by content hash; notes by their
// idempotency key; a command cannot be observed, so the caller decides (e.g. roll the workspace
// back to the checkpoint taken before it, and run it again).
import { contentHash } from './content-hash.ts';
import type { EffectPlan, ToolContext } from './tool-types.ts';

export type EffectStatus =
  /** the target is in the state the effect produces: do not apply it again */
  | 'applied'
  /** the target is as it was before: running the call again applies it once */
  | 'not_applied'
  /** the target is in neither state: something else changed it */
  | 'diverged'
  /** nothing tells (a command): the caller's policy decides */
  | 'unknown'
  /** the call has no effect: running it again is harmless */
  | 'no_effect';

export async function effectStatus(plan: EffectPlan, ctx: ToolContext): Promise<EffectStatus> {
  switch (plan.kind) {
    case 'none':
      return 'no_effect';
    case 'unobservable':
      return 'unknown';
    case 'note':
      return ctx.knowledge?.findByKey(plan.key) ? 'applied' : 'not_applied';
    case 'file': {
      if (plan.before === plan.after) return 'no_effect';
      const abs = await ctx.workspace.resolve(plan.path, 'read');
      const now = contentHash(await ctx.workspace.readBytes(abs));
      return now === plan.after ? 'applied' : now === plan.before ? 'not_applied' : 'diverged';
    }
  }
}
