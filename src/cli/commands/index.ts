// Every command of the bin, one file each. Add a command by adding its file and one line here.
import type { Command } from '../command.ts';
import { benchCommand } from './bench.ts';
import { configCommand } from './config.ts';
import { demoCommand } from './demo.ts';
import { emulateCommand } from './emulate.ts';
import { importCommand } from './import.ts';
import { keysCommand } from './keys.ts';
import { serveCommand } from './serve.ts';
import { usageCommand } from './usage.ts';
import { planCommand } from './plan.ts';
import { runCommand } from './run.ts';
import { runsCommand } from './runs.ts';
import { toolcallsCommand } from './toolcalls.ts';

export const COMMANDS: readonly Command[] = [
  runCommand,
  runsCommand,
  demoCommand,
  configCommand,
  keysCommand,
  serveCommand,
  usageCommand,
  importCommand,
  planCommand,
  emulateCommand,
  toolcallsCommand,
  benchCommand,
];
