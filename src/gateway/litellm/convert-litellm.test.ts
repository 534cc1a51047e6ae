import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseFleetObject } from '../../config/index.ts';
import { convertLiteLLM } from './convert-litellm.ts';

// A ccproxy-style LiteLLM config: Claude names served by local Ollama models with Anthropic behind.
const CCPROXY = `
model_list:
  - model_name: claude-3-5-sonnet
    litellm_params:
      model: ollama_chat/qwen2.5-coder:32b
      api_base: http://192.168.1.20:11434
  - model_name: claude-3-5-sonnet-cloud
    litellm_params:
      model: anthropic/claude-sonnet-4-5
      api_key: os.environ/ANTHROPIC_API_KEY
  - model_name: claude-3-haiku
    litellm_params:
      model: ollama/qwen2.5:7b
      api_base: http://192.168.1.20:11434
      rpm: 10
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: sk-live-THISISALITERALKEY
  - model_name: gemini
    litellm_params:
      model: gemini/gemini-1.5-pro
router_settings:
  num_retries: 2
  timeout: 600
  allowed_fails: 3
  cooldown_time: 30
  fallbacks: [{"claude-3-5-sonnet": ["claude-3-5-sonnet-cloud"]}, {"claude-3-haiku": ["nothing-here"]}]
  model_group_alias: {"gpt-4": "claude-3-5-sonnet", "sonnet": {"model": "claude-3-5-sonnet", "hidden": true}}
general_settings:
  master_key: sk-1234
`;

describe('import litellm', () => {
  it('converts servers, models, aliases with fallbacks, retries and timeouts into a valid fleet', () => {
    const { fleet, notes } = convertLiteLLM(parse(CCPROXY));
    const parsed = parseFleetObject(fleet, 'converted', { env: {} });
    expect(parsed.servers.map((s) => [s.name, s.kind, s.url, s.apiKeyEnv])).toEqual([
      ['ollama-192-168-1-20', 'ollama', 'http://192.168.1.20:11434', undefined],
      ['anthropic', 'anthropic', 'https://api.anthropic.com', 'ANTHROPIC_API_KEY'],
      ['openai', 'openai', 'https://api.openai.com/v1', 'OPENAI_API_KEY'],
    ]);
    expect(parsed.models.find((m) => m.name === 'qwen2.5-coder:32b')).toMatchObject({
      paramsB: 32,
      memoryGiB: 18.5,
    });
    expect(parsed.aliases).toEqual({
      'claude-3-5-sonnet': ['qwen2.5-coder:32b', 'claude-sonnet-4-5'],
      'claude-3-5-sonnet-cloud': ['claude-sonnet-4-5'],
      'claude-3-haiku': ['qwen2.5:7b'],
      'gpt-4': ['qwen2.5-coder:32b', 'claude-sonnet-4-5'],
      sonnet: ['qwen2.5-coder:32b', 'claude-sonnet-4-5'],
    });
    // gpt-4o is both the group and the model name: no alias needed
    expect(Object.keys(parsed.aliases)).not.toContain('gpt-4o');
    expect(parsed.gateway).toMatchObject({
      retries: { attempts: 2 },
      timeouts: { totalSeconds: 600 },
      cooldown: { failures: 3, seconds: 30 },
    });
    expect(notes.join('\n')).toMatch(/gemini.*not supported/);
    expect(notes.join('\n')).toMatch(/rpm not converted/);
    expect(notes.join('\n')).toMatch(/nothing-here is not a converted model group/);
  });

  it('never copies a literal API key or master key', () => {
    const { fleet, notes } = convertLiteLLM(parse(CCPROXY));
    const text = JSON.stringify(fleet);
    expect(text).not.toContain('sk-live-THISISALITERALKEY');
    expect(text).not.toContain('sk-1234');
    expect(notes.join('\n')).toMatch(
      /literal api_key is not copied; put it in the environment variable OPENAI_API_KEY/,
    );
    expect(notes.join('\n')).toMatch(/master_key: a literal key is not copied/);
  });

  it('takes the master key env reference and refuses configs with nothing to convert', () => {
    const { fleet } = convertLiteLLM({
      model_list: [{ model_name: 'm', litellm_params: { model: 'ollama/llama3' } }],
      general_settings: { master_key: 'os.environ/LITELLM_MASTER_KEY' },
    });
    expect(fleet.gateway?.masterKeyEnv).toBe('LITELLM_MASTER_KEY');
    expect(() =>
      convertLiteLLM({ model_list: [{ model_name: 'g', litellm_params: { model: 'bedrock/x' } }] }),
    ).toThrow(/no deployment could be converted/);
    expect(() => convertLiteLLM({ model_list: 'nope' })).toThrow(/model_list: expected an array/);
  });
});

describe('import litellm: Claude Code model names', () => {
  // Claude Code asks for the real model name, so ccproxy serves that name locally and names the
  // cloud deployment behind it after the same upstream model
  const SAME_NAME = `
model_list:
  - model_name: claude-sonnet-4-5-20250929
    litellm_params:
      model: ollama_chat/qwen2.5-coder:7b
      num_ctx: 32768
  - model_name: claude-sonnet-4-5-cloud
    litellm_params:
      model: anthropic/claude-sonnet-4-5-20250929
router_settings:
  fallbacks: [{"claude-sonnet-4-5-20250929": ["claude-sonnet-4-5-cloud"]}]
`;

  it('keeps the local-first chain of a group named like the cloud model behind it', () => {
    const { fleet } = convertLiteLLM(parse(SAME_NAME));
    const parsed = parseFleetObject(fleet, 'converted', { env: {} });
    const cloud = parsed.models.find((m) => m.upstreamName === 'claude-sonnet-4-5-20250929');
    expect(cloud?.servers).toEqual(['anthropic']);
    expect(parsed.aliases['claude-sonnet-4-5-20250929']).toEqual(['qwen2.5-coder:7b', cloud?.name]);
    expect(parsed.aliases['claude-sonnet-4-5-cloud']).toEqual([cloud?.name]);
  });

  it('takes num_ctx as the model context', () => {
    const { fleet, notes } = convertLiteLLM(parse(SAME_NAME));
    const parsed = parseFleetObject(fleet, 'converted', { env: {} });
    expect(parsed.models.find((m) => m.name === 'qwen2.5-coder:7b')?.contextTokens).toBe(32768);
    expect(notes.join('\n')).not.toMatch(/num_ctx not converted|contextTokens of qwen2.5-coder/);
  });
});
