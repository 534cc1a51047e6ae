// Process entry of the `orchestra` bin: real stdout/stderr, exit code from the command.
import { EXIT, type CliIO } from './command.ts';
import { main } from './main.ts';

// A reader that stops early (`orchestra plan ... | head`) closes the pipe: that is not a failure.
for (const stream of [process.stdout, process.stderr])
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? EXIT.ok);
    throw e;
  });

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
