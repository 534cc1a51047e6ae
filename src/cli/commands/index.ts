// Every command of the bin, one file each. Add a command by adding its file and one line here.
import type { Command } from '../command.ts';
import { configCommand } from './config.ts';
import { keysCommand } from './keys.ts';

export const COMMANDS: readonly Command[] = [configCommand, keysCommand];
