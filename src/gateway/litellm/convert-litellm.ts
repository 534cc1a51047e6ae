// A LiteLLM proxy config -> an Orchestra fleet config (as plain data), with a list of what could
// not be converted. Never copies a literal API key: keys become environment variable references.
import type { FleetInput } from '../../config/index.ts';
import { AppError } from '../../core/errors/index.ts';
import { parseWire } from '../../translate/shared/parse-wire.ts';
import { LiteLLMConfigSchema, type LiteLLMDeployment, type LiteLLMSettings } from './litellm-config.ts';

export interface ConversionResult {
  fleet: FleetInput;
  /** what was not converted or was guessed, one line each */
  notes: string[];
}

type ServerIn = FleetInput['servers'][number];
type ModelIn = FleetInput['models'][number];

const ENV_REF = /^os\.environ\/([A-Za-z_][A-Za-z0-9_]*)$/;
const CLOUD = { anthropic: 'https://api.anthropic.com', openai: 'https://api.openai.com/v1' } as const;
const DEFAULT_KEY_ENV = { anthropic: 'ANTHROPIC_API_KEY', openai: 'OPENAI_API_KEY' } as const;
/** GiB of Q4_K_M weights per billion parameters (about 0.62 GB) */
const GIB_PER_B = 0.62e9 / 1024 ** 3;

export function convertLiteLLM(raw: unknown): ConversionResult {
  const cfg = parseWire(LiteLLMConfigSchema, raw, 'config');
  const notes: string[] = [];
  const servers: ServerIn[] = [];
  const models: ModelIn[] = [];
  const groups = new Map<string, string[]>();
  cfg.model_list.forEach((d, i) => {
    const name = deployment(d, i, servers, models, notes);
    if (name === undefined) return;
    const chain = groups.get(d.model_name) ?? [];
    if (!chain.includes(name)) chain.push(name);
    groups.set(d.model_name, chain);
  });
  const settings: LiteLLMSettings = { ...cfg.litellm_settings, ...cfg.router_settings };
  applyFallbacks(groups, settings, notes);
  freeGroupNames(groups, models, notes);
  const aliases: Record<string, string[]> = {};
  for (const [group, chain] of groups) {
    if (chain.length === 1 && chain[0] === group) continue; // the model itself answers to its name
    aliases[group] = chain;
  }
  for (const [alias, target] of Object.entries(settings.model_group_alias ?? {})) {
    const to = typeof target === 'string' ? target : target.model;
    const chain = groups.get(to) ?? (models.some((m) => m.name === to) ? [to] : undefined);
    if (chain) aliases[alias] = chain;
    else notes.push(`model_group_alias ${alias}: target ${to} is not a converted model group`);
  }
  const fleet: FleetInput = { servers, models, aliases, gateway: gateway(cfg, settings, notes) };
  if (servers.length === 0)
    throw new AppError(
      'bad_request',
      'config: no deployment could be converted (only ollama/, ollama_chat/, anthropic/ and openai/ models are)',
    );
  return { fleet, notes };
}

function deployment(
  d: LiteLLMDeployment,
  i: number,
  servers: ServerIn[],
  models: ModelIn[],
  notes: string[],
): string | undefined {
  const where = `model_list[${i}] (${d.model_name})`;
  const [provider, ...rest] = d.litellm_params.model.split('/');
  const name = rest.join('/');
  const ollama = provider === 'ollama' || provider === 'ollama_chat';
  // num_ctx is the context Ollama runs the model with: the model's contextTokens
  const numCtx = d.litellm_params.num_ctx;
  const contextTokens = ollama && Number.isInteger(numCtx) && Number(numCtx) > 0 ? Number(numCtx) : undefined;
  const extra = Object.keys(d.litellm_params).filter(
    (k) =>
      !['model', 'api_base', 'api_key', 'timeout', 'stream_timeout'].includes(k) &&
      !(k === 'num_ctx' && contextTokens !== undefined),
  );
  if (extra.length > 0) notes.push(`${where}: litellm_params ${extra.join(', ')} not converted`);
  if (ollama) {
    const url = d.litellm_params.api_base ?? 'http://127.0.0.1:11434';
    const server = serverFor(servers, { kind: 'ollama', url });
    if (d.litellm_params.api_key)
      notes.push(`${where}: api_key of an Ollama server dropped (Ollama takes none)`);
    return addModel(models, { name, server, contextTokens }, notes, where);
  }
  if (provider === 'anthropic' || provider === 'openai') {
    const keyEnv = keyEnvOf(d, provider, where, notes);
    const url = d.litellm_params.api_base ?? CLOUD[provider];
    const server = serverFor(servers, { kind: provider, url, apiKeyEnv: keyEnv });
    return addModel(models, { name, server, contextTokens: 200_000 }, notes, where);
  }
  notes.push(
    `${where}: provider ${JSON.stringify(provider)} is not supported (ollama, ollama_chat, anthropic, openai are); deployment skipped`,
  );
  return undefined;
}

function keyEnvOf(
  d: LiteLLMDeployment,
  provider: 'anthropic' | 'openai',
  where: string,
  notes: string[],
): string {
  const key = d.litellm_params.api_key;
  const m = key === undefined ? undefined : ENV_REF.exec(key);
  if (m?.[1] && /^[A-Z_][A-Z0-9_]*$/.test(m[1])) return m[1];
  if (key !== undefined && !m)
    notes.push(
      `${where}: a literal api_key is not copied; put it in the environment variable ${DEFAULT_KEY_ENV[provider]}`,
    );
  else if (m)
    notes.push(
      `${where}: environment variable ${m[1]} is not upper case; using ${DEFAULT_KEY_ENV[provider]}`,
    );
  return DEFAULT_KEY_ENV[provider];
}

function serverFor(
  servers: ServerIn[],
  s: { kind: 'ollama' | 'anthropic' | 'openai'; url: string; apiKeyEnv?: string },
): ServerIn {
  const found = servers.find((x) => x.url === s.url && x.kind === s.kind && x.apiKeyEnv === s.apiKeyEnv);
  if (found) return found;
  const base = s.kind === 'ollama' ? `ollama-${new URL(s.url).hostname.replace(/[^\w-]/g, '-')}` : s.kind;
  let name = base;
  for (let n = 2; servers.some((x) => x.name === name); n++) name = `${base}-${n}`;
  const server: ServerIn = {
    name,
    url: s.url,
    kind: s.kind,
    ...(s.apiKeyEnv ? { apiKeyEnv: s.apiKeyEnv } : {}),
  };
  servers.push(server);
  return server;
}

function addModel(
  models: ModelIn[],
  { name, server, contextTokens }: { name: string; server: ServerIn; contextTokens: number | undefined },
  notes: string[],
  where: string,
): string {
  const existing = models.find((m) => m.name === name);
  if (existing) {
    if (!existing.servers.includes(server.name)) existing.servers.push(server.name);
    existing.contextTokens ??= contextTokens;
    return name;
  }
  const model: ModelIn = { name, servers: [server.name] };
  if (contextTokens !== undefined) model.contextTokens = contextTokens;
  if (server.kind === 'ollama') {
    const size = /(\d+(?:\.\d+)?)b\b/i.exec(name);
    const paramsB = size ? Number(size[1]) : undefined;
    if (paramsB) {
      model.paramsB = paramsB;
      model.memoryGiB = Math.round(paramsB * GIB_PER_B * 10) / 10;
      notes.push(
        `${where}: memoryGiB of ${name} estimated as ${model.memoryGiB} from its size (Q4_K_M); check it with ollama ps`,
      );
    } else {
      model.memoryGiB = 8;
      notes.push(`${where}: the size of ${name} is unknown; memoryGiB set to 8, correct it`);
    }
    if (contextTokens === undefined)
      notes.push(`${where}: contextTokens of ${name} left at the default 8192 (no num_ctx)`);
  }
  models.push(model);
  return name;
}

/**
 * A model group named like one of the models keeps its chain: ccproxy serves Claude Code's model
 * name (claude-sonnet-4-5-...) locally, with the cloud model of that very name behind it. The model
 * takes another name and keeps the upstream one.
 */
function freeGroupNames(groups: Map<string, string[]>, models: ModelIn[], notes: string[]): void {
  for (const [group, chain] of groups) {
    const model = models.find((m) => m.name === group);
    if (!model || (chain.length === 1 && chain[0] === group)) continue;
    let renamed = `${group}-${model.servers[0]}`;
    for (let n = 2; models.some((m) => m.name === renamed) || groups.has(renamed); n++)
      renamed = `${group}-${model.servers[0]}-${n}`;
    model.upstreamName ??= group;
    model.name = renamed;
    for (const c of groups.values()) c.forEach((m, i) => m === group && (c[i] = renamed));
    notes.push(
      `model ${group} renamed ${renamed} (upstreamName ${group}): model group ${group} keeps its chain ${chain.join(' -> ')}`,
    );
  }
}

function applyFallbacks(groups: Map<string, string[]>, s: LiteLLMSettings, notes: string[]): void {
  for (const entry of s.fallbacks ?? [])
    for (const [from, tos] of Object.entries(entry)) {
      const chain = groups.get(from);
      if (!chain) {
        notes.push(`fallbacks: ${from} is not a converted model group`);
        continue;
      }
      for (const to of tos) {
        const next = groups.get(to);
        if (!next) notes.push(`fallbacks: ${from} -> ${to}: ${to} is not a converted model group`);
        for (const m of next ?? []) if (!chain.includes(m)) chain.push(m);
      }
    }
  if (s.context_window_fallbacks)
    notes.push(
      'context_window_fallbacks: not needed; Orchestra checks the context before each model of a chain',
    );
}

function gateway(
  cfg: { general_settings?: { master_key?: string } },
  s: LiteLLMSettings,
  notes: string[],
): NonNullable<FleetInput['gateway']> {
  const g: NonNullable<FleetInput['gateway']> = {};
  if (s.num_retries !== undefined) g.retries = { attempts: s.num_retries };
  const total = s.timeout ?? s.request_timeout;
  if (total !== undefined) g.timeouts = { totalSeconds: total };
  if (s.allowed_fails !== undefined || s.cooldown_time !== undefined)
    g.cooldown = {
      enabled: true,
      ...(s.allowed_fails ? { failures: s.allowed_fails } : {}),
      ...(s.cooldown_time ? { seconds: s.cooldown_time } : {}),
    };
  const mk = cfg.general_settings?.master_key;
  if (mk !== undefined) {
    const m = ENV_REF.exec(mk);
    if (m?.[1] && /^[A-Z_][A-Z0-9_]*$/.test(m[1])) g.masterKeyEnv = m[1];
    else
      notes.push(
        'general_settings.master_key: a literal key is not copied; set ORCHESTRA_MASTER_KEY in the environment (or run orchestra keys add)',
      );
  }
  return g;
}
