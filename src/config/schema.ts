// The single source of the fleet config's types and defaults. Units are in the key names:
// GiB for memory, seconds for durations, tokens/s for speeds.
import { z } from 'zod';
import { FleetEmulatorSchema, ModelEmulatorSchema } from './emulator-schema.ts';

export const PROFILE_NAMES = ['m4-32', 'm4pro-64', 'rtx4090-24', 'seed'] as const;
export const POLICY_NAMES = ['gxa', 'ollama', 'always-swap', 'llama-swap-fifo', 'exhaustive'] as const;

const name = z.string().min(1, 'expected a non-empty name');
const positive = z.number({ error: 'expected a positive number' }).positive('expected a positive number');
const positiveInt = z
  .number({ error: 'expected a positive whole number' })
  .int('expected a positive whole number')
  .positive('expected a positive whole number');
const nonNegative = z.number({ error: 'expected a number >= 0' }).min(0, 'expected a number >= 0');
const envVarName = z
  .string()
  .regex(
    /^[A-Z_][A-Z0-9_]*$/,
    'expected the name of an environment variable (like ANTHROPIC_API_KEY), not a key',
  );

export const REPAIR_MODES = ['off', 'salvage', 'full'] as const;

/**
 * What the gateway does with tool calls a model wrote as text (the repair ladder, src/repair/):
 * `salvage` takes them out of the text (rungs 1-4), `full` adds an interpreter model and a
 * corrective re-ask (rungs 5-6), `off` passes the model's reply on as it came. Unset: `salvage` for
 * a model on an Ollama server, `off` for a cloud model; an alias's setting overrides its models'.
 */
export const ToolCallsSchema = z.strictObject({
  repair: z.enum(REPAIR_MODES).optional(),
  /** `full` only: the fleet model that interprets a broken call (constrained by the tool's schema);
   * default: the model that made the call */
  interpreter: name.optional(),
});

export const PriceSchema = z.strictObject({
  /** US dollars per million input tokens */
  inputPerMTok: nonNegative,
  /** US dollars per million output tokens */
  outputPerMTok: nonNegative,
});

export const ServerSchema = z.strictObject({
  name,
  url: z.url({ error: 'expected a URL like http://127.0.0.1:11434' }),
  kind: z.enum(['ollama', 'openai', 'anthropic']).default('ollama'),
  /** GPU-usable memory in GiB; from the profile when omitted */
  memoryGiB: positive.optional(),
  maxLoadedModels: positiveInt.default(3),
  /** OLLAMA_NUM_PARALLEL: concurrent requests per loaded model */
  parallel: positiveInt.default(1),
  /** OLLAMA_MAX_QUEUE: beyond it the server answers 503 */
  queueMax: positiveInt.default(512),
  profile: z.enum(PROFILE_NAMES).default('m4-32'),
  /** models loaded when the fleet starts */
  resident: z.array(name).default([]),
  /** cloud servers: the environment variable that holds the API key */
  apiKeyEnv: envVarName.optional(),
});

export const ModelSchema = z.strictObject({
  /** the Ollama tag (or the cloud model id) */
  name,
  /** identity of the weights file (digest or path); two tags of one file are one model. Default: name */
  weights: z.string().min(1).optional(),
  /** billions of parameters: picks speeds and KV size from the profile when not given */
  paramsB: positive.optional(),
  /** GPU memory of the weights (plus runtime overhead) in GiB; required for local models */
  memoryGiB: positive.optional(),
  /** KV cache bytes per context token; from paramsB when omitted */
  kvBytesPerToken: positiveInt.optional(),
  /** context window sent as options.num_ctx */
  contextTokens: positiveInt.default(8192),
  /** seconds to load; from the profile's bandwidth when omitted */
  loadSeconds: positive.optional(),
  prefillTokensPerSecond: positive.optional(),
  decodeTokensPerSecond: positive.optional(),
  /** servers that hold this model */
  servers: z.array(name).min(1, 'expected at least one server name'),
  /** how tools reach the model: Ollama's native tools field, or described in the prompt */
  toolProtocol: z.enum(['native', 'prompt']).default('native'),
  /**
   * the model can reason before it answers (Ollama's "thinking" capability): a client's request to
   * think or not (Anthropic `thinking`, OpenAI `reasoning_effort`, Ollama `think`) is passed on as
   * Ollama's `think`. False: never sent, since Ollama rejects `think` for a model without it.
   */
  thinking: z.boolean().default(false),
  /** cloud price, used for savings reports */
  price: PriceSchema.optional(),
  /** tool calls the model writes as text: see ToolCallsSchema */
  tool_calls: ToolCallsSchema.optional(),
  /** the name the upstream API knows, when it differs from `name` */
  upstreamName: z.string().min(1).optional(),
  /** emulated replies of this model (ignored by a real server): src/emulator/README.md "Scripted replies" */
  emulator: ModelEmulatorSchema.optional(),
});

export const GatewayKeySchema = z.strictObject({
  name,
  /** scrypt hash written by `orchestra keys add`; never the key itself */
  hash: z.string().regex(/^scrypt\$/, 'expected a hash written by `orchestra keys add` (scrypt$...)'),
  /** aliases this key may use; all when omitted */
  aliases: z.array(name).optional(),
});

export const GatewaySchema = z.strictObject({
  host: z.string().default('127.0.0.1'),
  port: positiveInt.max(65535, 'expected a port from 1 to 65535').default(4000),
  /** largest request body accepted, in bytes */
  bodyLimitBytes: positiveInt.default(20 * 1024 * 1024),
  masterKeyEnv: envVarName.default('ORCHESTRA_MASTER_KEY'),
  keys: z.array(GatewayKeySchema).default([]),
  /** SQLite file for usage and runs */
  storePath: z.string().default('.orchestra/orchestra.sqlite'),
  timeouts: z
    .strictObject({
      connectSeconds: positive.default(10),
      firstTokenSeconds: positive.default(600),
      idleSeconds: positive.default(120),
      totalSeconds: positive.default(3600),
    })
    .default({ connectSeconds: 10, firstTokenSeconds: 600, idleSeconds: 120, totalSeconds: 3600 }),
  retries: z
    .strictObject({ attempts: nonNegative.int().default(1), backoffSeconds: nonNegative.default(0.5) })
    .default({ attempts: 1, backoffSeconds: 0.5 }),
  cooldown: z
    .strictObject({
      enabled: z.boolean().default(true),
      failures: positiveInt.default(3),
      seconds: positive.default(60),
    })
    .default({ enabled: true, failures: 3, seconds: 60 }),
  /**
   * a local server that a request could not reach is probed (/api/version, /api/ps) every
   * intervalSeconds while it stays down, and used again after the first probe that answers
   */
  health: z.strictObject({ intervalSeconds: positive.default(2) }).default({ intervalSeconds: 2 }),
  /**
   * GET /metrics: auth true asks for a key (the master key or any named key), false serves it to
   * anyone; by default a key is required when any key is configured, as for the API
   */
  metrics: z.strictObject({ auth: z.boolean().optional() }).default({}),
  /**
   * reserved: the gateway never logs prompt text or keys, whatever this says; accepted so configs
   * that set it stay valid
   */
  logContent: z.boolean().default(false),
});

export const SchedulerSchema = z.strictObject({
  policy: z.enum(POLICY_NAMES).default('gxa'),
  /** W_target: the wait an agent call should not exceed, in seconds */
  waitTargetSeconds: positive.default(300),
  /** D_min: the shortest visit before leaving an exclusive model; derived from load times when omitted */
  minVisitSeconds: positive.optional(),
  /** predicted waits beyond this are refused with 429/503 and Retry-After */
  admissionCapSeconds: positive.default(1800),
  /** aging weight alpha of the Smith ratio */
  agingWeight: nonNegative.default(1),
  /** hard mode: a request never waits past waitTargetSeconds when the target is feasible */
  hard: z.boolean().default(false),
});

/** the knowledge store of runs (notes agents store and search) */
export const KnowledgeSchema = z.strictObject({
  /**
   * a fleet model or alias serving embeddings (Ollama's POST /api/embed, through the gateway):
   * notes and queries are embedded and search fuses BM25 with cosine similarity; without it,
   * search ranks by BM25 alone
   */
  embeddingModel: name.optional(),
  /** vector length, for embedding models that can shorten theirs (Ollama's `dimensions`) */
  dimensions: positiveInt.optional(),
});

const chain = z.array(name).min(1, 'expected at least one model in the chain');

/** an alias: its chain of models, or the chain with settings of its own */
export const AliasSchema = z.union([
  chain,
  z.strictObject({ models: chain, tool_calls: ToolCallsSchema.optional() }),
]);

export const FleetSchema = z
  .strictObject({
    servers: z.array(ServerSchema).min(1, 'expected at least one server'),
    models: z.array(ModelSchema).min(1, 'expected at least one model'),
    /** public name -> ordered chain of model names (local first, then cloud), or
     * `{ models: [chain], tool_calls: {...} }` */
    aliases: z.record(z.string(), AliasSchema).default({}),
    /** the cloud model whose prices value local tokens in savings reports; the cheapest priced model when omitted */
    savingsBaseline: name.optional(),
    gateway: GatewaySchema.default(GatewaySchema.parse({})),
    scheduler: SchedulerSchema.default(SchedulerSchema.parse({})),
    knowledge: KnowledgeSchema.optional(),
    /** scripted replies of emulated models (ignored by real servers): src/emulator/README.md "Scripted replies" */
    emulator: FleetEmulatorSchema.optional(),
  })
  .transform(({ aliases, ...rest }) => {
    // Null-prototype objects: looking up a client's model name ("toString", "__proto__") must find
    // only aliases the config defines, never Object.prototype's members.
    const chains = Object.create(null) as Record<string, string[]>;
    const aliasToolCalls = Object.create(null) as Record<string, ToolCallsConfig>;
    for (const [alias, a] of Object.entries(aliases)) {
      if (Array.isArray(a)) chains[alias] = a;
      else {
        chains[alias] = a.models;
        if (a.tool_calls) aliasToolCalls[alias] = a.tool_calls;
      }
    }
    return { ...rest, aliases: chains, aliasToolCalls };
  });

export type FleetConfig = z.infer<typeof FleetSchema>;
export type ToolCallsConfig = z.infer<typeof ToolCallsSchema>;
export type RepairMode = (typeof REPAIR_MODES)[number];
export type FleetInput = z.input<typeof FleetSchema>;
export type ServerConfig = z.infer<typeof ServerSchema>;
export type ModelConfig = z.infer<typeof ModelSchema>;
export type GatewayConfig = z.infer<typeof GatewaySchema>;
export type SchedulerConfig = z.infer<typeof SchedulerSchema>;
export type KnowledgeConfig = z.infer<typeof KnowledgeSchema>;
export type GatewayKey = z.infer<typeof GatewayKeySchema>;
export type ProfileName = (typeof PROFILE_NAMES)[number];
export type PolicyName = (typeof POLICY_NAMES)[number];
