// The parts of a LiteLLM proxy config.yaml that `orchestra import litellm` reads. Loose: everything
// else is kept so it can be listed as not converted.
import { z } from 'zod';

const Params = z.looseObject({
  model: z.string().min(1, 'expected a provider/model string like ollama/qwen2.5:7b'),
  api_base: z.string().optional(),
  api_key: z.string().optional(),
  timeout: z.number().optional(),
  stream_timeout: z.number().optional(),
});

export const LiteLLMDeploymentSchema = z.looseObject({
  model_name: z.string().min(1),
  litellm_params: Params,
  model_info: z.looseObject({}).optional(),
});

const Fallbacks = z.array(z.record(z.string(), z.array(z.string())));
const GroupAlias = z.record(z.string(), z.union([z.string(), z.looseObject({ model: z.string() })]));

const Settings = z.looseObject({
  num_retries: z.number().int().nonnegative().optional(),
  timeout: z.number().positive().optional(),
  request_timeout: z.number().positive().optional(),
  fallbacks: Fallbacks.optional(),
  context_window_fallbacks: Fallbacks.optional(),
  model_group_alias: GroupAlias.optional(),
  allowed_fails: z.number().int().positive().optional(),
  cooldown_time: z.number().positive().optional(),
});

export const LiteLLMConfigSchema = z.looseObject({
  model_list: z.array(LiteLLMDeploymentSchema).min(1, 'expected at least one deployment in model_list'),
  router_settings: Settings.optional(),
  litellm_settings: Settings.optional(),
  general_settings: z.looseObject({ master_key: z.string().optional() }).optional(),
});

export type LiteLLMConfig = z.infer<typeof LiteLLMConfigSchema>;
export type LiteLLMDeployment = z.infer<typeof LiteLLMDeploymentSchema>;
export type LiteLLMSettings = z.infer<typeof Settings>;
