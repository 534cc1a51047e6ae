// Issue 17's healing acceptance: an emulated run with one fault of each taxonomy kind (invalid
// tool call, unknown tool, failed acceptance check, timeout, backend down, loop, stall), each in
// its own agent of a chain. The real engine, gateway, scheduler and emulator run in process on the
// virtual clock; the faults are the emulator's (slow first token, down) or the scripted models'.
// At least 70% of the failure incidents heal without the user; the stall that cannot heal asks
// the user, and the run finishes with the answer (`orchestra runs answer`).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { composeGateway } from '../../src/app.ts';
import { main } from '../../src/cli/main.ts';
import { engineParts } from '../../src/runner/engine-port.ts';
import { readRun } from '../../src/runner/run-log.ts';
import { createRun, continueRun } from '../../src/runner/run-session.ts';
import { metricsOfRun } from '../../src/runner/run-summary.ts';
import { openUsageStore } from '../../src/store/index.ts';
import { openRunStore } from '../../src/store/run-store.ts';

const AGENTS = [
  ['f-invalid', 'the invalid-call agent'],
  ['f-unknown', 'the unknown-tool agent'],
  ['f-check', 'the failing-check agent'],
  ['f-timeout', 'the timeout agent'],
  ['f-down', 'the backend-down agent'],
  ['f-loop', 'the looping agent'],
  ['f-stall', 'the stalling agent'],
] as const;

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
    // the stalling agent rejects its specialist's non-answers
    arbiter('primary: the stalling agent[\\s\\S]*answer: I do not know', {
      action: 'review',
      review: { verdict: 'reject', reason: 'no file was written' },
    }),
    // every other agent: consult, approve, finish
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
    arbiter(
      'primary: the failing-check agent[\\s\\S]*tried to finish, but the acceptance check failed\\n\\nThe last acceptance check FAILED',
      consult('Fix f-check.txt: it must say right.'),
    ),
    // the looping agent's arbiter keeps finishing before anything is done
    arbiter('primary: the looping agent', { action: 'finish', result: 'done already' }),
    ...AGENTS.filter(([id]) => id !== 'f-loop' && id !== 'f-stall').map(([id, role]) =>
      arbiter(`primary: ${role}`, consult(`Write ${id}.txt.`)),
    ),
    // specialists: after a tool result, a summary
    { format: false, toolResult: true, text: 'Done.' },
    // invalid arguments first (content missing), right once reminded
    spec('the invalid-call agent[\\s\\S]*invalid arguments', write('f-invalid.txt', 'ok\n')),
    spec('the invalid-call agent', {
      toolCalls: [{ name: 'write_file', arguments: { path: 'f-invalid.txt' } }],
    }),
    // a tool that does not exist first, the right one once reminded
    spec('the unknown-tool agent[\\s\\S]*There is no tool named', write('f-unknown.txt', 'ok\n')),
    spec('the unknown-tool agent', {
      toolCalls: [{ name: 'create_file', arguments: { path: 'f-unknown.txt', text: 'ok' } }],
    }),
    // wrong content first: the acceptance check fails, the fix passes
    {
      format: false,
      system: '^You are the failing-check agent',
      user: 'Fix f-check.txt',
      ...write('f-check.txt', 'right\n'),
    },
    spec('the failing-check agent', write('f-check.txt', 'wrong\n')),
    ...['f-timeout', 'f-down', 'f-loop'].map((id) =>
      spec(AGENTS.find(([a]) => a === id)![1], write(`${id}.txt`, 'ok\n')),
    ),
  ];
}

function setup(dir: string): { pipelineFile: string; fleetFile: string } {
  const fleetFile = join(dir, 'fleet.yaml');
  writeFileSync(
    fleetFile,
    stringify({
      servers: [{ name: 'mini', url: 'http://127.0.0.1:11434', profile: 'm4-32', memoryGiB: 21.3 }],
      models: [{ name: 'qwen-fast', paramsB: 7, memoryGiB: 4.4, contextTokens: 32768, servers: ['mini'] }],
      gateway: {
        retries: { attempts: 0, backoffSeconds: 1 },
        timeouts: { connectSeconds: 5, firstTokenSeconds: 60, idleSeconds: 60, totalSeconds: 600 },
      },
      emulator: { rules: rules() },
    }),
  );
  const pipelineFile = join(dir, 'pipeline.yaml');
  writeFileSync(
    pipelineFile,
    stringify({
      name: 'faults',
      agents: AGENTS.map(([id, role], i) => ({
        id,
        model: 'qwen-fast',
        work: '1m',
        ...(i > 0 ? { after: [AGENTS[i - 1]![0]] } : {}),
        role,
        instructions: `Write ${id}.txt.`,
        tools: ['write_file', 'read_file'],
        accept: {
          command: id === 'f-check' ? 'grep -q right f-check.txt' : `test -f ${id}.txt`,
          timeoutSeconds: 30,
        },
        ...(id === 'f-stall' ? { maxSteps: 6 } : {}),
      })),
    }),
  );
  return { pipelineFile, fleetFile };
}

describe('orchestra run heals injected faults', () => {
  it(
    'heals 70%+ without the user; the stall asks and resumes with the answer',
    { timeout: 120_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'run-faults-'));
      const { pipelineFile, fleetFile } = setup(dir);
      const storeFile = join(dir, 'runs.sqlite');
      const store = openRunStore(storeFile);
      const runId = createRun(
        store,
        {
          pipelineFile,
          pipelineText: readFileSync(pipelineFile, 'utf8'),
          fleetFile,
          fleetText: readFileSync(fleetFile, 'utf8'),
          workspace: join(dir, 'ws'),
          strategy: 'best',
          emulated: true,
        },
        { now: Date.UTC(2026, 0, 1), runId: 'faults' },
      );
      const engine = engineParts();
      const usage = openUsageStore(':memory:');
      const view = await continueRun(runId, {
        composeGateway,
        store,
        usage,
        engine,
        env: {},
        signal: new AbortController().signal,
        hooks: {
          onEmulators: (emulators, clock) => {
            const mini = emulators.emulators.get('mini')!;
            let started = '';
            const onAttempt = (agent: string): void => {
              if (agent === started) return;
              started = agent;
              if (agent === 'f-timeout') {
                mini.setFault({ slowFirstTokenMs: 100_000 });
                clock.timer(61_000, () => mini.setFault({ slowFirstTokenMs: null }));
              }
              if (agent === 'f-down') {
                mini.setFault({ down: true });
                clock.timer(3_000, () => mini.setFault({ down: false }));
              }
            };
            faultHook = onAttempt;
          },
          onEvent: (e) => {
            if (e.source === 'runner' && e.event.type === 'attempt_started') faultHook?.(e.event.agent);
          },
        },
      });
      usage.close();
      expect(view.status).toBe('waiting');
      expect(view.question?.agent).toBe('f-stall');
      for (const [id] of AGENTS.slice(0, -1))
        expect({ id, status: view.agents[id]!.status }).toEqual({ id, status: 'succeeded' });
      store.close();

      const answered = await main(['runs', 'answer', runId, 'write f-stall.txt', '--store', storeFile], {
        out: () => {},
        err: () => {},
      });
      expect(answered).toBe(0);
      const reopened = openRunStore(storeFile);
      const run = readRun(reopened, runId);
      expect(run.view.status).toBe('succeeded');
      expect(readFileSync(join(dir, 'ws', 'f-check.txt'), 'utf8')).toBe('right\n');
      const m = metricsOfRun(run);
      // one incident of each kind at least (the check and the loop also fail inside other agents)
      expect(Object.keys(m.healing.byKind).sort()).toEqual([
        'backend_down',
        'failed_check',
        'invalid_tool_call',
        'loop_detected',
        'stall',
        'timeout',
        'unknown_tool',
      ]);
      expect(m.healing.askedUser).toBeGreaterThanOrEqual(1);
      expect(m.healing.share!).toBeGreaterThanOrEqual(0.7);
      reopened.close();
    },
  );
});

let faultHook: ((agent: string) => void) | undefined;
