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
