// Builds an AppTool from its parts, deriving the JSON Schema from the zod schema (one source).
import { z } from 'zod';
import type { AppTool, EffectPlan, ToolContext, ToolEffectKind, ToolResult } from './tool-types.ts';

export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { target: 'draft-7', io: 'input' }) as Record<
    string,
    unknown
  >;
  return rest;
}

export function defineTool<S extends z.ZodType>(spec: {
  name: string;
  description: string;
  input: S;
  effect: ToolEffectKind;
  execute(input: z.output<S>, ctx: ToolContext): Promise<ToolResult>;
  plan?(input: z.output<S>, ctx: ToolContext): Promise<EffectPlan>;
}): AppTool<z.output<S>> {
  const noEffect = (): Promise<EffectPlan> => Promise.resolve({ kind: 'none' });
  return {
    name: spec.name,
    description: spec.description,
    input: spec.input as z.ZodType<z.output<S>>,
    jsonSchema: jsonSchemaOf(spec.input),
    effect: spec.effect,
    execute: (input, ctx) => spec.execute(input, ctx),
    plan: spec.plan ? (input, ctx) => spec.plan!(input, ctx) : noEffect,
  };
}
