// Process entry of the `orchestra` bin: real stdout/stderr, exit code from the command.
import { EXIT, type CliIO } from './command.ts';
import { main } from './main.ts';

const io: CliIO = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };
main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = EXIT.failed;
  },
);
