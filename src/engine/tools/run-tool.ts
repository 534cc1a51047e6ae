// Executes one tool call for the engine: validates the model's input, runs the tool, and turns
// every failure into a result the model sees. Only a cancelled run escapes (as an AbortError).
import { ToolError, type ToolErrorCode } from './tool-error.ts';
import type { AppTool, EffectPlan, ToolContext, ToolResult } from './tool-types.ts';
import type { z } from 'zod';

export function errorResult(code: ToolErrorCode, message: string): ToolResult {
  return { ok: false, content: `error (${code}): ${message}`, error: { code, message } };
}

/** zod issues as one message naming each field, e.g. `path: expected string, received number` */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 8)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'input'}: ${i.message}`)
    .join('; ');
}

function failure(e: unknown, tool: AppTool): ToolResult {
  if (e instanceof ToolError) return errorResult(e.code, e.message);
  return errorResult('internal', `${tool.name} failed unexpectedly: ${(e as Error)?.message ?? String(e)}`);
}

function parse<I>(
  tool: AppTool<I>,
  input: unknown,
): { ok: true; value: I } | { ok: false; result: ToolResult } {
  const parsed = tool.input.safeParse(input);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, result: errorResult('invalid_input', `${tool.name}: ${describeIssues(parsed.error)}`) };
}

function throwIfAborted(ctx: ToolContext, e?: unknown): void {
  if (ctx.signal?.aborted) throw e instanceof Error && e.name === 'AbortError' ? e : ctx.signal.reason;
}

export async function runTool<I>(tool: AppTool<I>, input: unknown, ctx: ToolContext): Promise<ToolResult> {
  const parsed = parse(tool, input);
  if (!parsed.ok) return parsed.result;
  throwIfAborted(ctx);
  let result: ToolResult;
  try {
    result = await tool.execute(parsed.value, ctx);
  } catch (e) {
    throwIfAborted(ctx, e);
    return failure(e, tool);
  }
  // a call cut short by the run's cancellation has no result to record: the run, resumed, asks
  // effectStatus() what it did
  throwIfAborted(ctx);
  return result;
}

/**
 * What the call would change (see EffectPlan), for the engine to log with `tool_effect_started`.
 * A call that cannot be planned (bad input, a path refused) has no effect: `{ kind: 'none' }`, and
 * running it will give the model the same error.
 */
export async function planTool<I>(tool: AppTool<I>, input: unknown, ctx: ToolContext): Promise<EffectPlan> {
  const parsed = parse(tool, input);
  if (!parsed.ok) return { kind: 'none' };
  try {
    return await tool.plan(parsed.value, ctx);
  } catch (e) {
    throwIfAborted(ctx, e);
    if (e instanceof ToolError) return { kind: 'none' };
    throw e;
  }
}
