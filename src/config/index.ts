export * from './schema.ts';
export { loadFleetFile, parseFleetText, parseFleetObject, type LoadOptions } from './load.ts';
export { ConfigError, type ConfigProblem } from './config-error.ts';
export { serverMemoryGiB } from './cross-check.ts';
export { PROFILES, profileOf, type CalibrationProfile } from './profiles.ts';
export { fleetJsonSchema } from './json-schema.ts';
export { readEnv, envSnapshot } from './env.ts';
export { kvBytesPerTokenOf, paramsBOf, residentMemoryGiB } from './model-memory.ts';
export { summarizeFleet, maximalResidentSets } from './summary.ts';
