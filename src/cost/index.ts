export { batchingGain } from './batching-gain.ts';
export {
  costKey,
  costsOf,
  modelCostsOn,
  resolveModelCosts,
  serviceSeconds,
  swapPenalty,
  type FleetCosts,
  type ModelCosts,
  type ServerCosts,
  type SwapPenalty,
  type SwapPenaltyInput,
} from './model-costs.ts';
export { LearnedCosts, type LearnedCostsOptions, type TimingObservation } from './learned-costs.ts';
