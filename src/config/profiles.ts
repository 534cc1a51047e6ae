// Calibration profiles: the hardware facts the cost model starts from before it has measured
// anything. Figures from DESIGN.md "Cost model"; every one can be overridden per model in config.
import type { ProfileName } from './schema.ts';

export interface CalibrationProfile {
  name: ProfileName;
  /** memory the GPU may use, GiB */
  usableMemoryGiB: number;
  /** memory bandwidth, GB/s (decimal); bounds single-stream decode */
  memoryBandwidthGBps: number;
  /** fraction of bandwidth decode achieves (eta) */
  decodeEfficiency: number;
  /** prefill throughput times model size: tokens/s x billions of parameters (compute-bound) */
  prefillTokensPerSecondTimesParamsB: number;
  /** weights read rate when loading, GB/s (decimal) */
  loadGBps: number;
  /** fixed part of a load, seconds (t0) */
  loadOverheadSeconds: number;
  /** seconds to unload (about 0 on Metal, up to 5 on CUDA) */
  unloadSeconds: number;
}

export const PROFILES: Readonly<Record<ProfileName, CalibrationProfile>> = {
  // 32 GB Mac mini M4: 120 GB/s; 32B Q4 decodes at about 4.6 tok/s, prefills at about 45 tok/s.
  'm4-32': {
    name: 'm4-32',
    usableMemoryGiB: 21.3,
    memoryBandwidthGBps: 120,
    decodeEfficiency: 0.76,
    prefillTokensPerSecondTimesParamsB: 45 * 32,
    loadGBps: 0.8,
    loadOverheadSeconds: 1.5,
    unloadSeconds: 0,
  },
  // 64 GB Mac mini M4 Pro: 273 GB/s; 32B decodes at 8-12 tok/s, prefills at about 90 tok/s.
  'm4pro-64': {
    name: 'm4pro-64',
    usableMemoryGiB: 48,
    memoryBandwidthGBps: 273,
    decodeEfficiency: 0.7,
    prefillTokensPerSecondTimesParamsB: 90 * 32,
    loadGBps: 0.9,
    loadOverheadSeconds: 1.5,
    unloadSeconds: 0,
  },
  // RTX 4090 24 GB: 1008 GB/s; 32B decodes at about 30 tok/s, prefills at about 1700 tok/s.
  'rtx4090-24': {
    name: 'rtx4090-24',
    usableMemoryGiB: 22.5,
    memoryBandwidthGBps: 1008,
    decodeEfficiency: 0.6,
    prefillTokensPerSecondTimesParamsB: 1700 * 32,
    loadGBps: 2.5,
    loadOverheadSeconds: 1,
    unloadSeconds: 2,
  },
  // The seed notes' own estimates: a 32B loads in 0.7 min, the 7B in 0.4 min
  // (t0 + W/R with W = 19.9 and 4.7 GB solves to R = 0.844 GB/s, t0 = 18.4 s).
  seed: {
    name: 'seed',
    usableMemoryGiB: 24,
    memoryBandwidthGBps: 120,
    decodeEfficiency: 0.76,
    prefillTokensPerSecondTimesParamsB: 45 * 32,
    loadGBps: 15.2 / 18,
    loadOverheadSeconds: 42 - 19.9 / (15.2 / 18),
    unloadSeconds: 0,
  },
};

export function profileOf(name: ProfileName): CalibrationProfile {
  return PROFILES[name];
}
