// Local search over the campaign construction's knobs, with the construction as the evaluator:
// perturb agent priorities (critical-path order), swap two agents' priorities (reorders campaigns),
// move a model's home. Deterministic for a given seed and iteration count.
import type { Random } from '../lib/random.ts';
import { campaignSchedule, type CampaignParams } from './campaign.ts';
import type { PlanProblem } from './problem.ts';
import { betterThan, statsOf, type Schedule } from './schedule.ts';

export interface LocalSearchResult {
  schedule: Schedule;
  params: CampaignParams;
  evaluations: number;
}

export function localSearch(
  problem: PlanProblem,
  start: CampaignParams,
  rng: Random,
  iterations: number,
  /** stop early once this makespan (a lower bound) is reached, seconds */
  target = 0,
): LocalSearchResult {
  let params = start;
  let schedule = campaignSchedule(problem, params);
  let stats = statsOf(schedule);
  let evaluations = 1;
  for (let i = 0; i < iterations && stats.makespan > target + 1e-9; i++) {
    const candidate = perturb(problem, params, rng);
    const s = campaignSchedule(problem, candidate);
    evaluations++;
    const st = statsOf(s);
    // Sideways moves too: plateaus of equal makespan are common and lead somewhere.
    if (!betterThan(stats, st)) [params, schedule, stats] = [candidate, s, st];
  }
  return { schedule, params, evaluations };
}

function perturb(problem: PlanProblem, p: CampaignParams, rng: Random): CampaignParams {
  const n = problem.tasks.length;
  const pick = (k: number): number => Math.floor(rng.next() * k);
  const priority = [...p.priority];
  const homes = [...p.homes];
  let { foreignPenalty, strictHomes, switchMargin } = p;
  const move = rng.next();
  if (move < 0.45) {
    const spread = Math.max(...priority) - Math.min(...priority) || 1;
    for (let k = 1 + pick(3); k > 0; k--) priority[pick(n)]! += (rng.next() - 0.5) * spread * 0.3;
  } else if (move < 0.75) {
    const a = pick(n);
    const b = pick(n);
    [priority[a], priority[b]] = [priority[b]!, priority[a]!];
  } else if (move < 0.92) {
    const m = pick(problem.models.length);
    const holders = problem.servers.flatMap((s, i) => (s.loadSeconds[m] === undefined ? [] : [i]));
    if (holders.length > 0) {
      const flipped = homes[m]! ^ (1 << holders[pick(holders.length)]!);
      if (flipped !== 0) homes[m] = flipped;
    }
  } else if (move < 0.95) {
    foreignPenalty = Math.max(1, foreignPenalty * (0.5 + rng.next()));
  } else if (move < 0.97) {
    strictHomes = !strictHomes;
  } else {
    // Infinity (never leave) <-> a lead of up to the spread of the priorities.
    const spread = Math.max(...priority) - Math.min(...priority);
    switchMargin =
      switchMargin === Infinity
        ? rng.next() * spread
        : rng.next() < 0.3
          ? Infinity
          : switchMargin * (0.5 + rng.next());
  }
  return { priority, homes, foreignPenalty, strictHomes, switchMargin };
}
