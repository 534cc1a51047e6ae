// A pipeline agent as the engine's AgentSpec: its specialists with their real context windows from
// the fleet, the arbiter, the acceptance check, and the results of the agents it depends on.
import type { FleetConfig } from '../config/index.ts';
import type { AcceptanceSpec, AgentSpec, SpecialistSpec, UpstreamResult } from '../engine/engine-types.ts';
import type { RunAgentSpec, RunPipeline } from './run-pipeline.ts';

/** the context window of an alias's first model (or of the model itself) */
export function contextWindowOf(fleet: FleetConfig, name: string): number {
  const model = fleet.aliases[name]?.[0] ?? name;
  return fleet.models.find((m) => m.name === model)?.contextTokens ?? 8192;
}

function isSmall(fleet: FleetConfig, name: string): boolean {
  const model = fleet.aliases[name]?.[0] ?? name;
  const params = fleet.models.find((m) => m.name === model)?.paramsB;
  return params !== undefined && params < 14;
}

/** one command for every command check (all must pass), or the review */
export function acceptanceOf(agent: RunAgentSpec): AcceptanceSpec | undefined {
  const commands = agent.accept.flatMap((c) => ('command' in c ? [c] : []));
  if (commands.length > 0)
    return {
      kind: 'command',
      command: commands.map((c) => c.command).join(' && '),
      timeoutSeconds: commands.reduce((s, c) => s + c.timeoutSeconds, 0),
    };
  return agent.accept.some((c) => 'review' in c) ? { kind: 'review', review: 'approve' } : undefined;
}

export function engineSpec(o: {
  runId: string;
  pipeline: RunPipeline;
  agent: RunAgentSpec;
  fleet: FleetConfig;
  /** specialists for this attempt, preferred first */
  specialists: readonly string[];
  hints: readonly string[];
  upstream: UpstreamResult[];
}): AgentSpec {
  const { agent, fleet } = o;
  // a heal's changed prompt reaches the specialists too: they see their role, not the task
  const notes =
    o.hints.length === 0 ? '' : `\nNotes from earlier attempts:\n${o.hints.map((h) => `- ${h}`).join('\n')}`;
  const specialists: SpecialistSpec[] = o.specialists.map((alias, i) => ({
    name: i === 0 ? 'primary' : `alternate-${i}`,
    alias,
    role: `${agent.role ?? agent.instructions}${notes}`,
    contextWindow: contextWindowOf(fleet, alias),
    temperature: 0.2,
    tools: [...agent.tools],
    size: isSmall(fleet, alias) ? 'small' : 'large',
  }));
  const arbiter = o.pipeline.arbiter ?? o.specialists[0] ?? agent.model;
  const acceptance = acceptanceOf(agent);
  const instructions =
    o.hints.length === 0
      ? agent.instructions
      : `${agent.instructions}\n\nNotes from earlier attempts:\n${o.hints.map((h) => `- ${h}`).join('\n')}`;
  return {
    runId: o.runId,
    agentId: agent.id,
    role: agent.role ?? agent.id,
    instructions,
    arbiter: {
      alias: arbiter,
      contextWindow: contextWindowOf(fleet, arbiter),
      temperature: 0.1,
      size: isSmall(fleet, arbiter) ? 'small' : 'large',
    },
    specialists,
    dependsOn: [...agent.after],
    upstream: o.upstream,
    ...(acceptance ? { acceptance } : {}),
    limits: { maxDecisions: agent.maxSteps },
  };
}
