// run_command: a command in the workspace, with a timeout and an output cap, in an environment
// without credentials. A `command` string is run by /bin/sh -c exactly as given (the model writes
// the shell command; nothing is spliced into it); `argv` runs a program without a shell.
import { z } from 'zod';
import { defineTool } from './define-tool.ts';
import { runProcess, type ProcessOutcome } from './process-runner.ts';
import { scrubEnv } from './scrub-env.ts';
import { ToolError } from './tool-error.ts';
import { limitsOf, type ToolResult } from './tool-types.ts';

const Input = z
  .object({
    command: z
      .string()
      .optional()
      .describe('a shell command, run by /bin/sh -c in the workspace, e.g. "npm test"'),
    argv: z
      .array(z.string())
      .min(1)
      .optional()
      .describe('instead of command: a program and its arguments, no shell'),
    cwd: z.string().optional().describe('folder to run in, relative to the workspace root; default the root'),
    timeoutSeconds: z.number().positive().optional().describe('kill the command after this many seconds'),
  })
  .strict();

function describeOutcome(shown: string, o: ProcessOutcome, timeoutMs: number): string {
  const seconds = (o.durationMs / 1000).toFixed(1);
  const status = o.spawnError
    ? `could not start: ${o.spawnError}`
    : o.timedOut
      ? `killed after the timeout of ${timeoutMs / 1000} s (with every process it started)`
      : o.aborted
        ? 'stopped: the run was cancelled'
        : o.exitCode !== null
          ? `exit code ${o.exitCode} (${seconds} s)`
          : `ended by ${o.exitSignal ?? 'a signal'} (${seconds} s)`;
  return `$ ${shown}\n${status}\n${o.output === '' ? '(no output)' : o.output}`;
}

export const runCommandTool = defineTool({
  name: 'run_command',
  description:
    'Run a command in the workspace (e.g. "npm test") and get its exit code and output (start and end of ' +
    'long output). It is killed, with everything it started, at the timeout. No API keys in its environment.',
  input: Input,
  effect: 'process',
  plan: () =>
    Promise.resolve({
      kind: 'unobservable',
      reason: 'what a command changed cannot be told from outside it',
    }),
  async execute(input, ctx): Promise<ToolResult> {
    if ((input.command === undefined) === (input.argv === undefined))
      throw new ToolError(
        'invalid_input',
        'give exactly one of command (a shell command) and argv (a program and its arguments)',
      );
    if (input.command !== undefined && input.command.trim() === '')
      throw new ToolError('invalid_input', 'command is empty');
    const limits = limitsOf(ctx);
    const asked = input.timeoutSeconds === undefined ? limits.defaultTimeoutMs : input.timeoutSeconds * 1000;
    const timeoutMs = Math.min(asked, limits.maxTimeoutMs);
    const cwd = await ctx.workspace.resolve(input.cwd ?? '.', 'read');
    const { env, removed } = scrubEnv(ctx.env);
    const [file, ...args] = input.argv ?? ['/bin/sh', '-c', input.command!];
    const outcome = await runProcess({
      file: file!,
      args,
      cwd,
      env,
      timeoutMs,
      maxOutputBytes: limits.maxOutputBytes,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
    });
    const shown = input.command ?? input.argv!.join(' ');
    const content = describeOutcome(shown, outcome, timeoutMs);
    const { output: _output, ...rest } = outcome;
    const data = { ...rest, command: shown, cwd: ctx.workspace.display(cwd), timeoutMs, envRemoved: removed };
    if (outcome.exitCode === 0) return { ok: true, content, data };
    const message = content.split('\n')[1]!;
    return {
      ok: false,
      content,
      error: { code: outcome.spawnError ? 'unavailable' : 'command_failed', message },
      data,
    };
  },
});
