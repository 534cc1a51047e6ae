// A side-effecting tool call applied at most once per idempotency key, across crashes. Before it
// runs, its plan goes to the journal; after, its result. A key already finished answers the
// recorded result; a key started but not finished (the process died during the call) is checked
// (effectStatus): a file already in its new state is not written again, one still in its old
// state is written now, and a command, whose effects cannot be observed, is not run again: its
// result says it was interrupted, and the model (or the heal policy) decides what comes next.
import { createHash } from 'node:crypto';
import { AppError } from '../../core/errors/index.ts';
import type { EffectJournalStore } from '../../store/effect-journal-store.ts';
import { effectStatus } from './effect-status.ts';
import { errorResult, planTool, runTool } from './run-tool.ts';
import type { AppTool, EffectPlan, ToolContext, ToolResult } from './tool-types.ts';

export type EffectJournal = Pick<EffectJournalStore, 'get' | 'started' | 'finished'>;

/** a canonical digest of the input (keys sorted), to tell one call from another under one key */
export function inputHash(input: unknown): string {
  const canonical = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(canonical)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
          )
        : v;
  return createHash('sha256')
    .update(JSON.stringify(canonical(input)) ?? 'undefined')
    .digest('hex');
}

async function recover(
  tool: AppTool,
  input: unknown,
  plan: EffectPlan,
  ctx: ToolContext,
): Promise<ToolResult> {
  // store_note keeps one note per key by itself: asking again answers the stored note
  if (plan.kind === 'note') return runTool(tool, input, ctx);
  const status = await effectStatus(plan, ctx);
  if (status === 'not_applied' || status === 'no_effect') return runTool(tool, input, ctx);
  if (status === 'applied' && plan.kind === 'file')
    return {
      ok: true,
      content: `${plan.path} already has the content this call writes (applied before the run was interrupted)`,
      data: { path: plan.path, changed: true, recovered: true },
    };
  if (status === 'diverged' && plan.kind === 'file')
    return errorResult(
      'interrupted',
      `the run was interrupted during this ${tool.name}; ${plan.path} has since changed to neither its old nor its ` +
        'new content, so nothing was applied again: read it and decide',
    );
  return errorResult(
    'interrupted',
    `the run was interrupted while ${tool.name} ran; what it changed cannot be known, so it was not run again. ` +
      'Check the workspace, or run it again if that is safe',
  );
}

export async function executeOnce(
  tool: AppTool,
  input: unknown,
  ctx: ToolContext,
  journal: EffectJournal,
): Promise<ToolResult> {
  if (tool.effect === 'none') return runTool(tool, input, ctx);
  const key = ctx.idempotencyKey;
  const hash = inputHash(input);
  const entry = journal.get(key);
  if (entry && (entry.tool !== tool.name || entry.inputHash !== hash))
    throw new AppError(
      'internal',
      `idempotency key ${key} was used for another call (${entry.tool}); each tool call needs its own key`,
    );
  if (entry?.result !== undefined) return entry.result as ToolResult;
  let result: ToolResult;
  if (entry) result = await recover(tool, input, entry.plan as EffectPlan, ctx);
  else {
    const plan = await planTool(tool, input, ctx);
    journal.started({ key, tool: tool.name, inputHash: hash, plan });
    result = await runTool(tool, input, ctx);
  }
  journal.finished(key, result);
  return result;
}
