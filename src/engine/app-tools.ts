// The application tools (src/engine/tools, the scaffold's capabilities) as the engine's tools: the
// engine hands each call the run's workspace, knowledge store and environment, and its
// idempotency key; a workspace tool's plan of its effect (the file and its content hashes before
// and after) is logged before it runs, so a run resumed after a crash in the middle of the call
// can tell whether the write happened, and reports the file written as changed.
import type { EngineTool, ToolContext as EngineToolContext, ToolResult } from './engine-types.ts';
import {
  effectStatus,
  planTool,
  runTool,
  type AppTool,
  type EffectPlan,
  type ToolContext,
} from './tools/index.ts';

/** what every call of the run shares; the engine adds the key, agent, run and signal per call */
export type AppToolBase = Omit<ToolContext, 'idempotencyKey' | 'agent' | 'runId' | 'signal'>;

export function engineTools(tools: readonly AppTool[], base: AppToolBase): EngineTool<never>[] {
  return tools.map((t) => engineTool(t, base));
}

function engineTool(t: AppTool, base: AppToolBase): EngineTool<never> {
  const ctxOf = (c: EngineToolContext): ToolContext => ({
    ...base,
    idempotencyKey: c.idempotencyKey,
    agent: c.agentId,
    runId: c.runId,
    signal: c.signal,
  });
  const tool: EngineTool<unknown> = {
    name: t.name,
    description: t.description,
    inputSchema: t.input,
    sideEffects: t.effect !== 'none',
    async execute(input, c): Promise<ToolResult> {
      const ctx = ctxOf(c);
      const plan = t.effect === 'workspace' ? await planTool(t, input, ctx) : undefined;
      const r = await runTool(t, input, ctx);
      return { ok: r.ok, output: r.content, ...(r.ok && plan ? changed(plan) : {}) };
    },
    plan: t.effect === 'none' ? undefined : (input, c) => planTool(t, input, ctxOf(c)),
    async recover(plan, _input, c): Promise<ToolResult | undefined> {
      const p = plan as EffectPlan;
      const status = await effectStatus(p, ctxOf(c));
      if (status === 'applied')
        return {
          ok: true,
          output: `${t.name}: done (applied before the run was interrupted)`,
          ...changed(p),
        };
      if (status === 'diverged' && p.kind === 'file')
        return {
          ok: false,
          output: `${t.name}: ${p.path} changed since this call was made; read it again before changing it`,
        };
      // not applied, no effect, or a command nobody can observe: run it (again)
      return undefined;
    },
  };
  if (!tool.plan) delete tool.plan;
  return tool as EngineTool<never>;
}

function changed(plan: EffectPlan): { filesChanged?: string[] } {
  return plan.kind === 'file' && plan.before !== plan.after ? { filesChanged: [plan.path] } : {};
}
