// A model's real context window, for specialists whose config does not give one: the fleet
// config's contextTokens when the fleet is at hand, otherwise the gateway's (or an Ollama's)
// /api/show: num_ctx among the parameters first (what the server loads the model with), then
// the model_info's `<architecture>.context_length`.
import { AppError } from '../core/errors/index.ts';
import type { FleetConfig } from '../config/index.ts';
import type { GatewayConnection, SpecialistSpec } from './engine-types.ts';

/** The smallest context along the alias's chain: a fallback model must hold the prompt too. */
export function contextWindowFromFleet(fleet: FleetConfig, alias: string): number | undefined {
  const chain = fleet.aliases[alias] ?? [alias];
  const sizes = chain
    .map((name) => fleet.models.find((m) => m.name === name)?.contextTokens)
    .filter((n): n is number => n !== undefined);
  return sizes.length > 0 ? Math.min(...sizes) : undefined;
}

export async function contextWindowFromShow(connection: GatewayConnection, alias: string): Promise<number> {
  const origin = connection.baseURL.replace(/\/v1\/?$/, '');
  const doFetch = connection.fetch ?? fetch;
  const response = await doFetch(`${origin}/api/show`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(connection.apiKey ? { authorization: `Bearer ${connection.apiKey}` } : {}),
    },
    body: JSON.stringify({ model: alias }),
  });
  if (!response.ok)
    throw new AppError(
      'model_not_found',
      `/api/show for ${alias} answered ${response.status}: ${(await response.text()).slice(0, 200)}`,
    );
  const show = (await response.json()) as { parameters?: string; model_info?: Record<string, unknown> };
  const numCtx = /(?:^|\n)\s*num_ctx\s+(\d+)/.exec(show.parameters ?? '')?.[1];
  if (numCtx) return Number(numCtx);
  const fromInfo = Object.entries(show.model_info ?? {}).find(
    ([k, v]) => k.endsWith('.context_length') && typeof v === 'number',
  );
  if (fromInfo) return fromInfo[1] as number;
  throw new AppError(
    'model_not_found',
    `/api/show for ${alias} gives no context length (num_ctx or *.context_length)`,
  );
}

/** A specialist from a pipeline's or fleet's description, its context window resolved. */
export async function resolveSpecialist(
  s: Omit<SpecialistSpec, 'contextWindow'> & { contextWindow?: number },
  source: { fleet?: FleetConfig; connection?: GatewayConnection },
): Promise<SpecialistSpec> {
  if (s.contextWindow) return { ...s, contextWindow: s.contextWindow };
  const fromFleet = source.fleet ? contextWindowFromFleet(source.fleet, s.alias) : undefined;
  if (fromFleet) return { ...s, contextWindow: fromFleet };
  if (!source.connection)
    throw new AppError(
      'bad_request',
      `specialist ${s.name}: no contextWindow, and neither a fleet nor a gateway to look ${s.alias} up in`,
    );
  return { ...s, contextWindow: await contextWindowFromShow(source.connection, s.alias) };
}
