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
  /** node budget of the exact search (default 5 million) */
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
      'no strategy to run: expected at least one of ' + STRATEGY_NAMES.join(', '),
    );
  const bounds = lowerBounds(problem);
  const plans: StrategyPlan[] = [];
  const add = (
    name: StrategyName,
    p: PlanProblem,
    schedule: Schedule,
    extra: Partial<StrategyPlan> = {},
  ): StrategyPlan => {
    const violations = checkSchedule(p, schedule);
    if (violations.length > 0)
      throw new AppError('internal', `the ${name} plan is infeasible: ${violations.slice(0, 3).join('; ')}`);
    const stats = statsOf(schedule);
    const bound = p === problem ? bounds.max : lowerBounds(p).max;
    const plan: StrategyPlan = {
      name,
      problem: p,
      schedule,
      stats,
      ratioToBound: stats.makespan / bound,
      optimal: false,
      comparable: true,
      ...extra,
    };
    plans.push(plan);
    return plan;
  };
  for (const name of ['sequential', 'dependency', 'hybrid'] as const)
    if (wanted.has(name)) add(name, problem, HEURISTICS[name](problem));
  const campaignOptions = { iterations: options.campaignIterations, target: bounds.max };
  const needCampaign = wanted.has('campaign') || wanted.has('optimal');
  const campaign = needCampaign ? campaignStrategy(problem, campaignOptions) : undefined;
  if (campaign && wanted.has('campaign')) add('campaign', problem, campaign);
  if (wanted.has('single-model')) addSingleModel(problem, campaignOptions.iterations, add);
  let optimumSeconds: number | null = null;
  if (wanted.has('optimal') && campaign) {
    const maxTasks = options.exactMaxTasks ?? 16;
    if (problem.tasks.length > maxTasks) {
      add('optimal', problem, campaign, {
        note: `${problem.tasks.length} agents are too many for the exact search (at most ${maxTasks}); this is the campaign plan`,
      });
    } else {
      let incumbent = campaign;
      for (const p of plans)
        if (p.comparable && betterThan(p.stats, statsOf(incumbent))) incumbent = p.schedule;
      const r = exactSearch(problem, { incumbent, maxNodes: options.exactMaxNodes });
      if (r.proven) optimumSeconds = r.schedule!.makespan;
      add(
        'optimal',
        problem,
        r.schedule!,
        r.proven ? {} : { note: `search stopped after ${r.nodes} nodes: best found, not proven optimal` },
      );
    }
  }
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

function addSingleModel(
  problem: PlanProblem,
  iterations: number | undefined,
  add: (name: StrategyName, p: PlanProblem, s: Schedule, extra?: Partial<StrategyPlan>) => StrategyPlan,
): void {
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
