// Prompt tokens of the engine's dynamic prompts against the full static prompt for the same steps
// (seed 004's "50%+ fewer"), on pipelines larger than the main job: the seed pipelines, every
// agent given the whole tool registry split into phases as a pipeline author would (design,
// implement, test, review). The main job's own figure is measured in the run itself (npm start);
// this shows how the figure moves when the static prompt grows with the tool set.
//
// The steps are a fixed profile, not a run: per phase three model steps (the first, two after
// tool results), and per agent one step after an unknown-tool call (its reminder). Both prompts
// come from the engine's prompt builder (src/engine/prompt-builder.ts) with the registry's real
// tools; the estimator is the uncalibrated 4-characters-a-token one. Prints figures; asserts nothing.
import { readFileSync } from 'node:fs';
import { loadFleetFile } from '../src/config/index.ts';
import { buildPrompt, type PromptTool } from '../src/engine/prompt-builder.ts';
import { TokenEstimator } from '../src/engine/token-estimate.ts';
import { APP_TOOLS } from '../src/engine/tools/index.ts';
import { parsePipelineText } from '../src/planner/index.ts';

const examples = new URL('../examples/', import.meta.url);

/** the registry's tools, with the phases a pipeline author would give them */
const PHASES: Record<string, string[]> = {
  read_file: ['design', 'implement', 'test', 'review'],
  list_files: ['design', 'implement', 'test', 'review'],
  search_notes: ['design', 'implement', 'review'],
  store_note: ['design'],
  write_file: ['implement', 'test'],
  patch_file: ['implement'],
  run_command: ['implement', 'test'],
};
const TOOLS: PromptTool[] = APP_TOOLS.map((t) => ({
  name: t.name,
  description: t.description,
  inputSchema: t.input,
  phases: PHASES[t.name] ?? [],
}));

function phasesOf(role: string): string[] {
  if (/architect|design/i.test(role)) return ['design'];
  if (/\btest/i.test(role)) return ['test'];
  if (/audit|review|security/i.test(role)) return ['review'];
  return ['implement', 'test'];
}

interface Totals {
  steps: number;
  dynamic: number;
  static: number;
}

function measure(pipelineFile: string, fleetFile: string, phased: boolean): Totals {
  const pipeline = parsePipelineText(readFileSync(new URL(pipelineFile, examples), 'utf8'), pipelineFile);
  const fleet = loadFleetFile(new URL(fleetFile, examples).pathname);
  const totals: Totals = { steps: 0, dynamic: 0, static: 0 };
  for (const agent of pipeline.agents) {
    const model = fleet.models.find((m) => m.name === (fleet.aliases[agent.model]?.[0] ?? agent.model));
    const role = agent.role ?? agent.id;
    const upstream = agent.after.map((d) => `${d}: done; wrote its files and stored its decisions as notes.`);
    const step = (phase: string, failures: Parameters<typeof buildPrompt>[0]['failures']): void => {
      const p = buildPrompt({
        role,
        phase: phased ? phase : 'work',
        size: (model?.paramsB ?? 32) < 14 ? 'small' : 'large',
        contextWindow: model?.contextTokens ?? 8192,
        tools: phased ? TOOLS : TOOLS.map(({ phases: _p, ...t }) => t),
        taskTokens: Math.ceil(role.length / 4),
        dependencies: agent.after.length,
        attempts: 0,
        failures,
        upstream,
        estimator: new TokenEstimator(),
      });
      totals.steps++;
      totals.dynamic += p.tokens.dynamic;
      totals.static += p.tokens.static;
    };
    const phases = phasesOf(role);
    for (const phase of phases) for (let i = 0; i < 3; i++) step(phase, []);
    step(phases.at(-1)!, [{ kind: 'unknown_tool', name: 'writeFile' }]);
  }
  return totals;
}

console.log(
  'prompt tokens: dynamic against the full static prompt, same steps (seed 004 target: 50%+ fewer)',
);
console.log('pipeline               fleet                     tools by phase  steps  dynamic  static  fewer');
for (const [pipeline, fleet] of [
  ['seed/pipeline-v1.yaml', 'seed/fleet-1-server.yaml'],
  ['seed/pipeline-v2.yaml', 'seed/fleet-1-server.yaml'],
] as const)
  for (const phased of [false, true]) {
    const t = measure(pipeline, fleet, phased);
    console.log(
      `${pipeline.padEnd(23)}${fleet.padEnd(26)}${(phased ? 'yes' : 'no (all 7)').padEnd(16)}${String(t.steps).padStart(5)}  ${String(t.dynamic).padStart(7)}  ${String(t.static).padStart(6)}  ${((1 - t.dynamic / t.static) * 100).toFixed(1).padStart(5)}%`,
    );
  }
