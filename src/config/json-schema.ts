import { z } from 'zod';
import { FleetSchema } from './schema.ts';

/** JSON Schema of orchestra.yaml for editors (yaml-language-server). */
export function fleetJsonSchema(): Record<string, unknown> {
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    title: 'Orchestra fleet config (orchestra.yaml)',
    ...z.toJSONSchema(FleetSchema, { io: 'input', unrepresentable: 'any' }),
  };
}
