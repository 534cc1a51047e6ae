// A pipeline `orchestra run --emulate` executes for the dashboard's run page: two agents on a
// scripted emulated model. The first heals an invalid tool call by itself; the second stalls and
// asks the user, and writes its file once the user names it ("write f-stall.txt").
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';

export const ANSWER = 'write f-stall.txt';

const write = (path: string, content: string) => ({
  toolCalls: [{ name: 'write_file', arguments: { path, content } }],
});

function rules(): unknown[] {
  const arbiter = (user: string, json: unknown) => ({ format: true, user, json });
  const consult = (instruction: string) => ({
    action: 'consult',
    specialist: 'primary',
    instruction,
    acceptance: 'the check passes',
  });
  const spec = (role: string, extra: Record<string, unknown>) => ({
    format: false,
    system: `^You are ${role}`,
    ...extra,
  });
  return [
    // the stalling agent's arbiter rejects its specialist's non-answers
    arbiter('primary: the stalling agent[\\s\\S]*answer: I do not know', {
      action: 'review',
      review: { verdict: 'reject', reason: 'no file was written' },
    }),
    arbiter('Result waiting for your review', { action: 'review', review: { verdict: 'approve' } }),
    arbiter('approved the result of primary[^\\n]*\\n\\n(Allowed actions|The last acceptance check FAILED)', {
      action: 'finish',
      result: 'done',
    }),
    // the stalling agent: never a result until the user names the file
    arbiter(
      'primary: the stalling agent[\\s\\S]*The user answered[\\s\\S]*: write (\\S+)',
      consult('Write $1 now.'),
    ),
    arbiter('Step (\\d+)\\.[\\s\\S]*primary: the stalling agent', consult('Think about it again (step $1).')),
    spec('the stalling agent', { toolResult: true, text: 'Done.' }),
    spec('the stalling agent', { user: 'Write (\\S+) now', ...write('$1', 'ok\n') }),
    spec('the stalling agent', { text: 'I do not know which file to write.' }),
    arbiter('primary: the invalid-call agent', consult('Write f-invalid.txt.')),
    { format: false, toolResult: true, text: 'Done.' },
    // invalid arguments first (content missing), right once reminded
    spec('the invalid-call agent[\\s\\S]*invalid arguments', write('f-invalid.txt', 'ok\n')),
    spec('the invalid-call agent', {
      toolCalls: [{ name: 'write_file', arguments: { path: 'f-invalid.txt' } }],
    }),
  ];
}

/** writes the fleet and pipeline files into `dir` */
export function writeRunFiles(dir: string): { pipelineFile: string; fleetFile: string } {
  const fleetFile = join(dir, 'run-fleet.yaml');
  writeFileSync(
    fleetFile,
    stringify({
      servers: [{ name: 'mini', url: 'http://127.0.0.1:11434', profile: 'm4-32', memoryGiB: 21.3 }],
      models: [{ name: 'qwen-fast', paramsB: 7, memoryGiB: 4.4, contextTokens: 32768, servers: ['mini'] }],
      gateway: { retries: { attempts: 0, backoffSeconds: 1 } },
      emulator: { rules: rules() },
    }),
  );
  const pipelineFile = join(dir, 'run-pipeline.yaml');
  const agent = (id: string, role: string, extra: Record<string, unknown> = {}) => ({
    id,
    model: 'qwen-fast',
    work: '1m',
    role,
    instructions: `Write ${id}.txt.`,
    tools: ['write_file', 'read_file'],
    accept: { command: `test -f ${id}.txt`, timeoutSeconds: 30 },
    ...extra,
  });
  writeFileSync(
    pipelineFile,
    stringify({
      name: 'ask-and-heal',
      agents: [
        agent('f-invalid', 'the invalid-call agent'),
        agent('f-stall', 'the stalling agent', { after: ['f-invalid'], maxSteps: 6 }),
      ],
    }),
  );
  return { pipelineFile, fleetFile };
}
