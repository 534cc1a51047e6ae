// One application tool call as a journaled effect. Live: the tool's plan of its effect is logged
// with tool_effect_started, then the call runs and its result is logged. On resume: a logged
// result is returned as it is (never run again); a call started without a result (the process
// died while it ran) asks the tool whether the logged plan was applied, and runs it only if not.
import type { EngineTool, LoggedToolCall, ToolContext, ToolResult } from './engine-types.ts';
import type { Journal } from './journal.ts';

export type ToolCallContext = Omit<ToolContext, 'idempotencyKey'>;

export async function toolEffect(
  journal: Journal,
  tool: EngineTool<never> | undefined,
  call: LoggedToolCall,
  key: string,
  base: ToolCallContext,
): Promise<ToolResult> {
  const ctx: ToolContext = { ...base, idempotencyKey: key };
  const parsed = tool?.inputSchema.safeParse(call.input);
  const input = parsed?.success ? { value: parsed.data } : undefined;
  const started = journal.take('tool_effect_started', (e) => e.key === key);
  if (started) {
    const logged = journal.take('tool_effect', (e) => e.key === key);
    if (logged) return logged.result;
  }
  let recovered: ToolResult | undefined;
  if (started?.plan !== undefined && tool?.recover && input !== undefined)
    recovered = await tool.recover(started.plan, input.value, ctx);
  if (!started) {
    const plan = tool?.plan && input !== undefined ? await tool.plan(input.value, ctx) : undefined;
    await journal.record({
      type: 'tool_effect_started',
      key,
      tool: call.name,
      input: call.input,
      ...(plan !== undefined ? { plan } : {}),
    });
  }
  const result = recovered ?? (await execute(tool, call, input, parsed?.error?.message, ctx));
  await journal.record({ type: 'tool_effect', key, tool: call.name, result });
  return result;
}

async function execute(
  tool: EngineTool<never> | undefined,
  call: LoggedToolCall,
  input: { value: never } | undefined,
  invalid: string | undefined,
  ctx: ToolContext,
): Promise<ToolResult> {
  if (!tool) return { ok: false, output: `unknown tool ${call.name}` };
  if (input === undefined)
    return { ok: false, output: `invalid input for ${call.name}: ${invalid ?? 'invalid'}` };
  try {
    return await tool.execute(input.value, ctx);
  } catch (e) {
    // cancelled: nothing to log, the call runs again on resume
    if (ctx.signal.aborted) throw e;
    // a tool that throws reports to the model like one that fails: the loop goes on
    return { ok: false, output: `${call.name} failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}
