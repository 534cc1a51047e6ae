// Reads a pipeline from YAML text and checks what does not need the fleet: ids, references, cycles.
// Every problem names the agent (and key) concerned.
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, issueToProblem, type ConfigProblem } from '../config/config-error.ts';
import { PipelineSchema, type Pipeline } from './pipeline-schema.ts';

export function parsePipelineText(text: string, file: string): Pipeline {
  return parsePipelineObject(readPipelineYaml(text, file), file);
}

/** the YAML of a pipeline file as a plain value; invalid YAML is a ConfigError naming the file */
export function readPipelineYaml(text: string, file: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0)
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        path: '',
        message: `invalid YAML: ${e.message.split('\n')[0] ?? e.message}`,
      })),
    );
  return doc.toJS();
}

export function parsePipelineObject(raw: unknown, file: string): Pipeline {
  const parsed = PipelineSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigError(
      file,
      parsed.error.issues.map((i) => issueProblem(i, raw)),
    );
  const problems = structureProblems(parsed.data);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return parsed.data;
}

/** the fleet config's wording (key path, expected, found), plus the agent concerned */
function issueProblem(issue: z.core.$ZodIssue, raw: unknown): ConfigProblem {
  const id = agentIdAt(raw, issue.path);
  const { path, message } = issueToProblem(issue, raw);
  return { path, message: id ? `${message} (agent ${id})` : message };
}

function agentIdAt(raw: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'agents' || typeof path[1] !== 'number') return undefined;
  const agents = (raw as { agents?: unknown }).agents;
  const a: unknown = Array.isArray(agents) ? agents[path[1]] : undefined;
  const id = a && typeof a === 'object' ? (a as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : undefined;
}

/** duplicate ids, unknown or self references in `after`, dependency cycles */
export function structureProblems(pipeline: Pipeline): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const index = new Map<string, number>();
  pipeline.agents.forEach((a, i) => {
    if (index.has(a.id))
      problems.push({ path: `agents[${i}].id`, message: `agent ${a.id} is defined twice` });
    else index.set(a.id, i);
  });
  pipeline.agents.forEach((a, i) =>
    a.after.forEach((dep, j) => {
      if (dep === a.id)
        problems.push({ path: `agents[${i}].after[${j}]`, message: `agent ${a.id} waits for itself` });
      else if (!index.has(dep))
        problems.push({
          path: `agents[${i}].after[${j}]`,
          message: `agent ${a.id} waits for unknown agent ${JSON.stringify(dep)}${suggest(dep, [...index.keys()])}`,
        });
    }),
  );
  if (problems.length === 0) {
    const cycle = findCycle(pipeline, index);
    if (cycle)
      problems.push({
        path: 'agents',
        message: `dependency cycle (each agent waits for the one before it): ${cycle.join(' -> ')}`,
      });
  }
  return problems;
}

function findCycle(pipeline: Pipeline, index: Map<string, number>): string[] | undefined {
  const state = pipeline.agents.map(() => 0); // 0 new, 1 on the stack, 2 done
  const stack: number[] = [];
  const visit = (i: number): string[] | undefined => {
    state[i] = 1;
    stack.push(i);
    for (const dep of pipeline.agents[i]!.after) {
      const j = index.get(dep)!;
      if (state[j] === 1)
        return [...stack.slice(stack.indexOf(j)), j].map((k) => pipeline.agents[k]!.id).reverse();
      if (state[j] === 0) {
        const c = visit(j);
        if (c) return c;
      }
    }
    stack.pop();
    state[i] = 2;
    return undefined;
  };
  for (let i = 0; i < pipeline.agents.length; i++) {
    if (state[i] !== 0) continue;
    const c = visit(i);
    if (c) return c;
  }
  return undefined;
}

function suggest(name: string, known: string[]): string {
  const close = known.filter((k) => k.includes(name) || name.includes(k) || editDistance(k, name) <= 2);
  return close.length > 0 ? ` (did you mean ${close.slice(0, 3).join(', ')}?)` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++)
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
