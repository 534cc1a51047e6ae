// Runs the strategies on a problem, checks every schedule, and picks the best plan (makespan, then
// swaps). The exact search starts from the best heuristic plan, so it only has to prove it optimal
// or beat it.
import { AppError } from '../core/errors/index.ts';
import { exactSearch } from './exact-search.ts';
import { checkSchedule } from './feasibility.ts';
import { lowerBounds, type LowerBounds } from './lower-bounds.ts';
import { EPS, type PlanProblem } from './problem.ts';
import { betterThan, statsOf, type Schedule, type ScheduleStats } from './schedule.ts';
import { singleModelProblem } from './single-model.ts';
import { campaignStrategy } from './strategy-campaign.ts';
import { dependencyStrategy } from './strategy-dependency.ts';
import { hybridStrategy } from './strategy-hybrid.ts';
import { sequentialStrategy } from './strategy-sequential.ts';

export const STRATEGY_NAMES = [
  'sequential',
  'dependency',
  'hybrid',
  'single-model',
  'campaign',
  'optimal',
] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface StrategyPlan {
  name: StrategyName;
  /** the problem this schedule solves (single-model changes the agents' models) */
  problem: PlanProblem;
  schedule: Schedule;
  stats: ScheduleStats;
  /** makespan / the lower bound of its problem */
  ratioToBound: number;
  /** its makespan equals the proven optimum (or the lower bound) */
  optimal: boolean;
  /** false when the plan changes the agents' models: never chosen as best */
  comparable: boolean;
  note?: string;
}

export interface PlanReport {
  problem: PlanProblem;
  bounds: LowerBounds;
  /** proven optimal makespan, seconds; null when the exact search did not run or did not finish */
  optimumSeconds: number | null;
  plans: StrategyPlan[];
  best: StrategyName;
}

export interface PlanOptions {
  /** which plans to report (default: all) */
  strategies?: readonly StrategyName[];
  /** largest pipeline the exact search takes on (default 16 agents) */
  exactMaxTasks?: number;
  /** node budget of the exact search (default 2 million, a few seconds) */
  exactMaxNodes?: number;
  /** local-search evaluations of the campaign heuristic (default: scaled to the size) */
  campaignIterations?: number;
}

const HEURISTICS = {
  sequential: sequentialStrategy,
  dependency: dependencyStrategy,
  hybrid: hybridStrategy,
} as const;

export function planPipeline(problem: PlanProblem, options: PlanOptions = {}): PlanReport {
  const wanted = new Set(options.strategies ?? STRATEGY_NAMES);
  if (wanted.size === 0)
    throw new AppError(
      'bad_request',
      `no strategy to run: expected at least one of ${STRATEGY_NAMES.join(', ')}`,
    );
  const bounds = lowerBounds(problem);
  const plans: StrategyPlan[] = [];
  const add: AddPlan = (name, p, schedule, extra = {}) => {
    const plan = makePlan(name, p, schedule, p === problem ? bounds.max : lowerBounds(p).max, extra);
    plans.push(plan);
  };
  for (const name of ['sequential', 'dependency', 'hybrid'] as const)
    if (wanted.has(name)) add(name, problem, HEURISTICS[name](problem));
  const iterations = options.campaignIterations;
  const needCampaign = wanted.has('campaign') || wanted.has('optimal');
  const campaign = needCampaign ? campaignStrategy(problem, { iterations, target: bounds.max }) : undefined;
  if (campaign && wanted.has('campaign')) add('campaign', problem, campaign);
  if (wanted.has('single-model')) addSingleModel(problem, iterations, add);
  const optimumSeconds =
    wanted.has('optimal') && campaign ? addOptimal(problem, campaign, plans, options, add) : null;
  for (const p of plans)
    p.optimal =
      p.comparable &&
      ((optimumSeconds !== null && p.stats.makespan <= optimumSeconds + EPS) ||
        p.stats.makespan <= bounds.max + EPS);
  const best = plans
    .filter((p) => p.comparable)
    .reduce<StrategyPlan | undefined>((a, p) => (!a || betterThan(p.stats, a.stats) ? p : a), undefined);
  return { problem, bounds, optimumSeconds, plans, best: (best ?? plans[0]!).name };
}

type AddPlan = (name: StrategyName, p: PlanProblem, s: Schedule, extra?: Partial<StrategyPlan>) => void;

/** every plan is checked: an infeasible one is a bug, never printed */
function makePlan(
  name: StrategyName,
  problem: PlanProblem,
  schedule: Schedule,
  bound: number,
  extra: Partial<StrategyPlan>,
): StrategyPlan {
  const violations = checkSchedule(problem, schedule);
  if (violations.length > 0)
    throw new AppError('internal', `the ${name} plan is infeasible: ${violations.slice(0, 3).join('; ')}`);
  const stats = statsOf(schedule);
  const ratioToBound = stats.makespan / bound;
  return { name, problem, schedule, stats, ratioToBound, optimal: false, comparable: true, ...extra };
}

/** the exact search from the best plan so far; returns the proven optimum or null */
function addOptimal(
  problem: PlanProblem,
  campaign: Schedule,
  plans: readonly StrategyPlan[],
  options: PlanOptions,
  add: AddPlan,
): number | null {
  const maxTasks = options.exactMaxTasks ?? 16;
  if (problem.tasks.length > maxTasks) {
    add('optimal', problem, campaign, {
      note: `${problem.tasks.length} agents are too many for the exact search (at most ${maxTasks}); this is the campaign plan`,
    });
    return null;
  }
  let incumbent = campaign;
  for (const p of plans) if (p.comparable && betterThan(p.stats, statsOf(incumbent))) incumbent = p.schedule;
  const r = exactSearch(problem, { incumbent, maxNodes: options.exactMaxNodes });
  const note = `search stopped after ${r.nodes} nodes: the best plan found, not proven optimal`;
  add('optimal', problem, r.schedule!, r.proven ? {} : { note });
  return r.proven ? r.schedule!.makespan : null;
}

function addSingleModel(problem: PlanProblem, iterations: number | undefined, add: AddPlan): void {
  const sub = singleModelProblem(problem);
  const schedule = campaignStrategy(sub.problem, { iterations, target: lowerBounds(sub.problem).max });
  if (sub.replaced.size === 0) {
    add('single-model', problem, schedule, {
      note: 'no model to merge: the models already fit together or differ in size',
    });
    return;
  }
  const merged = [...sub.replaced].map(([a, b]) => `${a} -> ${b}`).join(', ');
  add('single-model', sub.problem, schedule, {
    comparable: false,
    note: `runs ${merged}: changes the agents' models, so never "best"`,
  });
}
