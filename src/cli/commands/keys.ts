// `orchestra keys add|list|remove`: gateway keys stored as scrypt hashes in the fleet config.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { AppError } from '../../core/errors/index.ts';
import { addKeyToText, listKeysInText, removeKeyFromText } from '../../gateway/key-config-text.ts';
import { generateKey, hashKey } from '../../gateway/key-hash.ts';
import { parseFlags, UsageError, type CliIO, type Command } from '../command.ts';

const DEFAULT_CONFIG = 'orchestra.yaml';

function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('config_invalid', `${file}: cannot read the config: ${(e as Error).message}`);
  }
}

/** write-then-rename so a crash never leaves a half-written config */
function writeText(file: string, text: string): void {
  const tmp = `${file}.orchestra-tmp`;
  writeFileSync(tmp, text, 'utf8');
  renameSync(tmp, file);
}

export const keysCommand: Command = {
  name: 'keys',
  summary: 'add, list or remove gateway API keys (stored as hashes in the config)',
  help: `Usage:
  orchestra keys add NAME [--config FILE] [--aliases a,b]   print a new key once, store its hash
  orchestra keys list [--config FILE]                       names and allowed aliases
  orchestra keys remove NAME [--config FILE]

--config defaults to ${DEFAULT_CONFIG}. The key is shown only once; the config keeps its scrypt hash.
The master key is read from the environment variable gateway.masterKeyEnv (ORCHESTRA_MASTER_KEY).`,
  async run(argv, io) {
    try {
      return await runKeys(argv, io);
    } catch (e) {
      // a taken name or an unknown alias is the user's input: exit 2 like any usage error
      if (e instanceof AppError && (e.code === 'bad_request' || e.code === 'not_found'))
        throw new UsageError(e.message);
      throw e;
    }
  },
};

async function runKeys(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    config: { type: 'string' },
    aliases: { type: 'string' },
  });
  const file = values.config ?? DEFAULT_CONFIG;
  const [sub, name, ...rest] = positionals;
  if (rest.length > 0) throw new UsageError(`unexpected arguments: ${rest.join(' ')}`);
  if (sub === 'list' && name === undefined) {
    const keys = listKeysInText(readText(file), file);
    if (keys.length === 0)
      io.out(`${file}: no keys (the gateway runs open on loopback without a master key)`);
    for (const k of keys) io.out(`${k.name}\t${k.aliases ? k.aliases.join(',') : '(all aliases)'}`);
    return 0;
  }
  if (sub === 'add' && name !== undefined) {
    const aliases = values.aliases
      ?.split(',')
      .map((a) => a.trim())
      .filter(Boolean);
    const key = generateKey();
    const text = addKeyToText(readText(file), file, { name, hash: await hashKey(key), aliases });
    writeText(file, text);
    io.out(key);
    io.err(`key ${name} added to ${file}; the key above is shown once, store it now`);
    return 0;
  }
  if (sub === 'remove' && name !== undefined) {
    writeText(file, removeKeyFromText(readText(file), file, name));
    io.out(`key ${name} removed from ${file}`);
    return 0;
  }
  throw new UsageError(
    `expected "keys add NAME", "keys list" or "keys remove NAME", found "keys ${argv.join(' ')}"`,
  );
}
