// Home servers of each model by memory bin packing: big models first, each to the least-loaded
// servers that hold it, preferring servers where it fits beside the models already at home there
// (no swaps between them) and servers where it is resident at start; then every server where it
// fits beside the home models. Returns a server bit mask per model.
import { minDuration, modelsOfMask, type PlanProblem } from './problem.ts';
import { maskFits } from './residency.ts';

export function homeServers(problem: PlanProblem): number[] {
  const { servers, models, tasks } = problem;
  const work = models.map(() => 0);
  for (const t of tasks) work[t.model]! += minDuration(t);
  const total = work.reduce((a, w) => a + w, 0);
  const share = total / servers.length;
  const assigned = servers.map(() => 0);
  const homeOf = servers.map(() => 0); // models at home per server (mask)
  const homes = models.map(() => 0);
  const order = models.map((_, m) => m).sort((a, b) => work[b]! - work[a]! || a - b);
  for (const m of order) {
    if (work[m] === 0) continue;
    const holders = servers.flatMap((s, i) => (s.loadSeconds[m] === undefined ? [] : [i]));
    const wanted = Math.min(holders.length, Math.max(1, Math.ceil(work[m]! / share - 1e-9)));
    const cost = (i: number): number => {
      const fits = maskFits(servers[i]!, homeOf[i]! | (1 << m)) ? 0 : share;
      const resident = (servers[i]!.initialMask & (1 << m)) !== 0 ? -share / 2 : 0;
      return assigned[i]! + fits + resident;
    };
    const chosen = [...holders].sort((a, b) => cost(a) - cost(b) || a - b).slice(0, wanted);
    for (const i of chosen) {
      homes[m]! |= 1 << i;
      homeOf[i]! |= 1 << m;
      assigned[i]! += work[m]! / chosen.length;
    }
  }
  // Co-load: a model is also at home wherever it fits beside each of that server's home models,
  // since serving it there never costs a swap of them.
  order.forEach((m) => {
    servers.forEach((s, i) => {
      if (work[m] === 0 || s.loadSeconds[m] === undefined || (homes[m]! & (1 << i)) !== 0) return;
      const besideEach = modelsOfMask(homeOf[i]!).every((h) => maskFits(s, (1 << h) | (1 << m)));
      if (!besideEach) return;
      homes[m]! |= 1 << i;
      homeOf[i]! |= 1 << m;
    });
  });
  return homes;
}
