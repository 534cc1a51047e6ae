// The `orchestra` bin: dispatches to one command per file; no business logic here.
import { readFileSync } from 'node:fs';
import { isAppError } from '../core/errors/index.ts';
import { EXIT, UsageError, wantsHelp, type CliIO } from './command.ts';
import { COMMANDS } from './commands/index.ts';

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: orchestra COMMAND [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    "orchestra COMMAND --help shows a command's options. orchestra --version prints the version.",
    'Exit codes: 0 ok, 1 the work failed, 2 usage or config error.',
  ].join('\n');
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(overview());
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-v') {
    io.out(version());
    return EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`orchestra: unknown command "${name}"\n\n${overview()}`);
    return EXIT.usage;
  }
  if (wantsHelp(rest)) {
    io.out(command.help);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`orchestra ${name}: ${e.message}\nRun "orchestra ${name} --help" for usage.`);
      return EXIT.usage;
    }
    if (isAppError(e) && e.code === 'config_invalid') {
      io.err(e.message);
      return EXIT.usage;
    }
    io.err(`orchestra ${name}: ${e instanceof Error ? e.message : String(e)}`);
    return EXIT.failed;
  }
}
