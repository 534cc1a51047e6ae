// Loads a fleet config: file -> ${ENV} interpolation -> environment overrides -> flag overrides,
// validated once, with every problem named by file and key path.
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError, describeValue, issueToProblem, type ConfigProblem } from './config-error.ts';
import { crossCheck } from './cross-check.ts';
import { emulatorProblems, withEmulatorScripts } from './emulator-scripts.ts';
import { interpolateEnv } from './interpolate.ts';
import { FleetSchema, type FleetConfig } from './schema.ts';

export interface LoadOptions {
  /** environment to interpolate from; defaults to process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** values from command-line flags, merged last (e.g. { gateway: { port: 4100 } }) */
  overrides?: Record<string, unknown>;
}

export function loadFleetFile(file: string, options: LoadOptions = {}): FleetConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (e as Error).message;
    throw new ConfigError(file, [{ path: '', message: `cannot read the config: ${reason}` }]);
  }
  return parseFleetText(text, file, options);
}

export function parseFleetText(text: string, file: string, options: LoadOptions = {}): FleetConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({
        path: '',
        // the parser's first line ends with ':' before a code excerpt we do not print
        message: `invalid YAML: ${(e.message.split('\n')[0] ?? e.message).replace(/:\s*$/, '')}`,
      })),
    );
  }
  const raw: unknown = doc.toJS();
  return parseFleetObject(raw, file, options);
}

export function parseFleetObject(raw: unknown, file: string, options: LoadOptions = {}): FleetConfig {
  const env = options.env ?? process.env;
  const problems: ConfigProblem[] = [];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(file, [
      { path: '', message: `expected a mapping with servers and models, found ${describeValue(raw)}` },
    ]);
  let data = interpolateEnv(raw, env, problems) as Record<string, unknown>;
  if (problems.length > 0) throw new ConfigError(file, problems);
  data = deepMerge(data, envOverrides(env));
  if (options.overrides) data = deepMerge(data, options.overrides);
  const parsed = FleetSchema.safeParse(data, { reportInput: true });
  if (!parsed.success)
    throw new ConfigError(
      file,
      parsed.error.issues.map((i) => issueToProblem(i, data)),
    );
  const cross = [...crossCheck(parsed.data), ...emulatorProblems(parsed.data)];
  if (cross.length > 0) throw new ConfigError(file, cross);
  return withEmulatorScripts(parsed.data, file);
}

function envOverrides(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const out: Record<string, Record<string, unknown>> = {};
  if (env.ORCHESTRA_PORT) out.gateway = { port: Number(env.ORCHESTRA_PORT) };
  if (env.ORCHESTRA_POLICY) out.scheduler = { policy: env.ORCHESTRA_POLICY };
  return out;
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(extra)) {
    const cur = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && cur && typeof cur === 'object' && !Array.isArray(cur)
        ? deepMerge(cur as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}
