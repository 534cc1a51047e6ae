import { fleetJsonSchema, loadFleetFile } from '../../config/index.ts';
import { summarizeFleet } from '../../config/summary.ts';
import { UsageError, type Command } from '../command.ts';

export const configCommand: Command = {
  name: 'config',
  summary: 'check a fleet config, or print its JSON Schema',
  help: `Usage:
  orchestra config check FILE   validate FILE and print servers, memory and which models fit together
  orchestra config schema       print the JSON Schema of orchestra.yaml (for editors)

Exit codes: 0 valid, 2 invalid config or usage.`,
  run(argv, io) {
    const [sub, file, ...rest] = argv;
    if (sub === 'schema' && file === undefined) {
      io.out(JSON.stringify(fleetJsonSchema(), null, 2));
      return Promise.resolve(0);
    }
    if (sub === 'check' && file !== undefined && rest.length === 0) {
      const fleet = loadFleetFile(file);
      io.out(`${file}: valid`);
      for (const line of summarizeFleet(fleet)) io.out(line);
      return Promise.resolve(0);
    }
    throw new UsageError(`expected "config check FILE" or "config schema", found "config ${argv.join(' ')}"`);
  },
};
