// `orchestra import litellm FILE [--out FILE]`: a LiteLLM proxy config -> an Orchestra fleet config.
import { readFileSync, writeFileSync } from 'node:fs';
import { parse, stringify } from 'yaml';
import { ConfigError, parseFleetObject } from '../../config/index.ts';
import { AppError } from '../../core/errors/index.ts';
import { convertLiteLLM } from '../../gateway/litellm/convert-litellm.ts';
import { parseFlags, UsageError, type CliIO, type Command } from '../command.ts';

export const importCommand: Command = {
  name: 'import',
  summary: 'convert a LiteLLM proxy config (ccproxy) into an Orchestra fleet config',
  help: `Usage:
  orchestra import litellm FILE [--out FILE]

Reads model_list (ollama/, ollama_chat/, anthropic/, openai/ models, api_base, api_key as
os.environ/NAME), model_group_alias, and router_settings / litellm_settings (num_retries, timeout,
fallbacks, allowed_fails, cooldown_time). Prints the fleet YAML (or writes it to --out) and lists
what could not be converted. Literal API keys are never copied: they become environment variables.`,
  run(argv, io) {
    return Promise.resolve().then(() => runImport(argv, io));
  },
};

function runImport(argv: string[], io: CliIO): number {
  const { values, positionals } = parseFlags(argv, { out: { type: 'string' } });
  const [kind, file, ...rest] = positionals;
  if (kind !== 'litellm' || file === undefined || rest.length > 0)
    throw new UsageError(`expected "import litellm FILE", found "import ${argv.join(' ')}"`);
  let raw: unknown;
  try {
    raw = parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(
      `${file}: cannot read a YAML LiteLLM config (${(e as Error).message.split('\n')[0]})`,
    );
  }
  let result;
  try {
    result = convertLiteLLM(raw);
  } catch (e) {
    if (e instanceof AppError && e.code === 'bad_request') throw new UsageError(`${file}: ${e.message}`);
    throw e;
  }
  const header = [
    `# Converted from ${file} by orchestra import litellm.`,
    ...result.notes.map((n) => `# - ${n}`),
  ];
  const text = `${header.join('\n')}\n${stringify(result.fleet)}`;
  if (values.out) writeFileSync(values.out, text, 'utf8');
  else io.out(text);
  for (const n of result.notes) io.err(`not converted / check: ${n}`);
  try {
    parseFleetObject(result.fleet, values.out ?? '(converted)', { env: {} });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.err(`the converted config needs fixes before \`orchestra serve\`:\n${e.message}`);
    return 1;
  }
  if (values.out) io.err(`wrote ${values.out}; check it with: orchestra config check ${values.out}`);
  return 0;
}
