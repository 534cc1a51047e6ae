// Public model names: an alias maps to its chain of fleet models; a fleet model name is a chain of one.
import type { FleetConfig, ModelConfig } from '../config/index.ts';
import { AppError } from '../core/errors/index.ts';

export function resolveChain(fleet: Pick<FleetConfig, 'aliases' | 'models'>, name: string): ModelConfig[] {
  const names = fleet.aliases[name] ?? (fleet.models.some((m) => m.name === name) ? [name] : undefined);
  if (!names) {
    const known = [...Object.keys(fleet.aliases), ...fleet.models.map((m) => m.name)];
    throw new AppError(
      'model_not_found',
      `unknown model ${JSON.stringify(name)} (known: ${known.join(', ')})`,
      {
        path: 'model',
      },
    );
  }
  return names.map((n) => fleet.models.find((m) => m.name === n)!).filter(Boolean);
}

/** every public name: aliases first, then fleet models */
export function publicModelNames(fleet: Pick<FleetConfig, 'aliases' | 'models'>): string[] {
  return [...Object.keys(fleet.aliases), ...fleet.models.map((m) => m.name)];
}

const LATEST = ':latest';

/**
 * The public name a client means: `name` itself, or `name` without Ollama's implicit ":latest" tag
 * when only the bare name is listed (Ollama treats "functiongemma" and "functiongemma:latest" as
 * one model, and its clients send either).
 */
export function publicNameOf(fleet: Pick<FleetConfig, 'aliases' | 'models'>, name: string): string {
  if (!name.endsWith(LATEST) || isPublic(fleet, name)) return name;
  const bare = name.slice(0, -LATEST.length);
  return isPublic(fleet, bare) ? bare : name;
}

function isPublic(fleet: Pick<FleetConfig, 'aliases' | 'models'>, name: string): boolean {
  return Object.hasOwn(fleet.aliases, name) || fleet.models.some((m) => m.name === name);
}
