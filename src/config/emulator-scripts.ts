// The fleet config's emulator keys that need the whole fleet or the file system: script files
// named by `emulator.scripts` (read once at load, their rules appended to `emulator.rules`), and
// rules naming a model the fleet does not have (a typo would otherwise never match, silently).
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { ConfigError, formatPath, issueToProblem, type ConfigProblem } from './config-error.ts';
import { EmulatorScriptSchema, type EmulatorRule } from './emulator-schema.ts';
import type { FleetConfig } from './schema.ts';

/** reads the scripts named in `emulator.scripts`; ConfigErrors name the config or the script file */
export function withEmulatorScripts(fleet: FleetConfig, file: string): FleetConfig {
  const scripts = fleet.emulator?.scripts ?? [];
  if (!fleet.emulator || scripts.length === 0) return fleet;
  const rules: EmulatorRule[] = [...fleet.emulator.rules];
  scripts.forEach((path, i) => {
    const full = resolve(dirname(file), path);
    let raw: unknown;
    try {
      raw = parse(readFileSync(full, 'utf8'));
    } catch (e) {
      const reason =
        (e as NodeJS.ErrnoException).code === 'ENOENT'
          ? 'file not found'
          : (e as Error).message.split('\n')[0];
      throw new ConfigError(file, [
        { path: `emulator.scripts[${i}]`, message: `cannot read the script ${full}: ${reason}` },
      ]);
    }
    const parsed = EmulatorScriptSchema.safeParse(raw, { reportInput: true });
    if (!parsed.success)
      throw new ConfigError(
        path,
        parsed.error.issues.map((issue) => issueToProblem(issue, raw)),
      );
    rules.push(...parsed.data.rules);
  });
  return { ...fleet, emulator: { ...fleet.emulator, rules } };
}

/** rules whose `model` is an exact name the fleet does not define */
export function emulatorProblems(fleet: FleetConfig): ConfigProblem[] {
  const models = new Set(fleet.models.map((m) => m.name));
  const problems: ConfigProblem[] = [];
  const check = (rules: readonly EmulatorRule[] | undefined, at: (string | number)[]): void =>
    rules?.forEach((r, j) => {
      if (r.model !== undefined && !/^\/.*\/$/.test(r.model) && !models.has(r.model))
        problems.push({
          path: formatPath([...at, j, 'model']),
          message: `unknown model ${JSON.stringify(r.model)} (expected one of: ${[...models].join(', ')}, or a /regex/)`,
        });
    });
  check(fleet.emulator?.rules, ['emulator', 'rules']);
  fleet.models.forEach((m, i) => check(m.emulator?.rules, ['models', i, 'emulator', 'rules']));
  return problems;
}
