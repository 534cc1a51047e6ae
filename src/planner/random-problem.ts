// Random small planning problems for property tests and benchmarks: a random DAG, 1-3 models with
// random load times, 1-3 servers whose memory sometimes lets two models be resident together.
import type { Random } from '../lib/random.ts';
import type { PlanProblem, PlanServer, PlanTask } from './problem.ts';

export interface RandomProblemOptions {
  tasks: number;
  servers: number;
  models: number;
  /** chance of each forward edge of the DAG */
  edgeChance?: number;
}

export function randomProblem(rng: Random, o: RandomProblemOptions): PlanProblem {
  const int = (lo: number, hi: number): number => lo + Math.floor(rng.next() * (hi - lo + 1));
  const models = Array.from({ length: o.models }, (_, m) => `m${m}`);
  const size = models.map(() => int(4, 12));
  const load = models.map(() => int(1, 6));
  const memory = int(12, 24);
  // seconds per unit of work: some servers are twice as slow
  const speed: number[] = [];
  const servers: PlanServer[] = Array.from({ length: o.servers }, (_, s) => {
    const held = models.map(() => rng.next() < 0.85 || s === 0);
    speed.push(rng.next() < 0.3 ? 2 : 1);
    return {
      name: `s${s}`,
      memoryGiB: memory,
      maxLoaded: 3,
      initialMask: s === 0 && rng.next() < 0.7 ? 1 : 0,
      loadSeconds: models.map((_, m) => (held[m] ? load[m] : undefined)),
      memoryOf: models.map((_, m) => (held[m] ? size[m]! : NaN)),
      signature: JSON.stringify([held, speed[s]]),
    };
  });
  const preds: number[][] = Array.from({ length: o.tasks }, () => []);
  for (let j = 0; j < o.tasks; j++)
    for (let i = 0; i < j; i++) if (rng.next() < (o.edgeChance ?? 0.25)) preds[j]!.push(i);
  const tasks: PlanTask[] = preds.map((p, j) => {
    const model = int(0, o.models - 1);
    const work = int(1, 9);
    return {
      id: `t${j}`,
      model,
      durations: servers.map((s, i) => (s.loadSeconds[model] === undefined ? undefined : work * speed[i]!)),
      preds: p,
      succs: preds.flatMap((q, k) => (q.includes(j) ? [k] : [])),
      priority: 'medium',
    };
  });
  return { name: 'random', models, servers, tasks, topo: tasks.map((_, j) => j) };
}
