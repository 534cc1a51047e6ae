// The engine's side of the repair ladder (src/repair): a reply whose calls cannot be executed, or
// that offers tools and carries no call (a call written as text), goes through the injected
// ladder before it is logged, so the log holds the calls that are executed and the rung that
// produced them. Without a ladder the reply stays as it is (the gateway repairs too) and the
// failure reminders take over.
import type { RepairRung } from '../repair/repair-types.ts';
import type { LoggedToolCall, ToolCallRepair } from './engine-types.ts';
import type { ModelTool } from './gateway-model.ts';
import { inputJsonSchema } from './tool-examples.ts';

export interface RepairedReply {
  text: string;
  calls: LoggedToolCall[];
  /** the highest rung the executable calls needed; absent without one */
  rung?: RepairRung;
}

export async function repairReply(
  repair: ToolCallRepair | undefined,
  reply: { text: string; calls: LoggedToolCall[] },
  tools: readonly ModelTool[],
): Promise<RepairedReply> {
  const broken = reply.calls.some((c) => c.problem);
  const asIs: RepairedReply = {
    ...reply,
    ...(reply.calls.some((c) => !c.problem) ? { rung: 1 as const } : {}),
  };
  if (!repair || tools.length === 0 || (!broken && reply.calls.length > 0)) return asIs;
  if (!broken && reply.text.trim() === '') return asIs;
  const offered = tools.map((t) => ({
    name: t.name,
    description: t.description,
    parameters: inputJsonSchema(t.inputSchema),
  }));
  const result = await repair(
    { text: reply.text, nativeCalls: reply.calls.map((c) => ({ name: c.name, arguments: c.input })) },
    offered,
  );
  if (result.verdict !== 'calls' || result.calls.length === 0) return asIs;
  const calls = result.calls.map((c, i) => ({
    id: reply.calls[i]?.id ?? `repaired_${i}`,
    name: c.name,
    input: c.arguments,
  }));
  const rung = Math.max(...result.calls.map((c) => c.rung)) as RepairRung;
  return { text: result.text, calls: validated(calls, tools), rung };
}

/** the ladder checks JSON Schema; the engine executes against zod: check again */
function validated(calls: LoggedToolCall[], tools: readonly ModelTool[]): LoggedToolCall[] {
  return calls.map((c) => {
    const tool = tools.find((t) => t.name === c.name);
    if (!tool) return { ...c, problem: { kind: 'unknown_tool', name: c.name } };
    const parsed = tool.inputSchema.safeParse(c.input);
    return parsed.success
      ? c
      : {
          ...c,
          problem: {
            kind: 'invalid_input',
            tool: c.name,
            error: parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
          },
        };
  });
}
