// A consultation: the specialist's own tool loop. The model decides the calls; the engine
// validates them against the tools' schemas and executes them (journaled). A reply with a call
// that cannot be executed (unknown tool, empty name, invalid arguments) or with no call at all
// gets the matching reminder in the next prompt. The loop ends when the model answers without a
// call after having acted, or when its steps run out.
import { buildPrompt, toolsForPhase, type PromptTool } from './prompt-builder.ts';
import { consultMessage, readInChunks } from './specialist-input.ts';
import type { CallProblem, EngineTool, FailureKind, LoggedToolCall, SpecialistSpec } from './engine-types.ts';
import type { Consultation } from './engine-state.ts';
import type { Runtime } from './runtime.ts';
import type { Thread } from './thread.ts';

export interface ConsultInput {
  instruction: string;
  acceptance: string;
  files?: string[];
}

interface LoopState {
  failures: CallProblem[];
  executed: number;
  failedCalls: number;
  toolsOffered: number;
  filesChanged: Set<string>;
  problems: string[];
  nudged: boolean;
}

export async function consult(rt: Runtime, s: SpecialistSpec, input: ConsultInput): Promise<Consultation> {
  const thread = rt.threads.specialist(s);
  const tools = specialistTools(rt, s);
  const message = await readInChunks(rt, s, thread, consultMessage(input));
  thread.add({ role: 'user', content: message });
  const loop: LoopState = {
    failures: [],
    executed: 0,
    failedCalls: 0,
    toolsOffered: toolsForPhase(tools, rt.state.phase).length,
    filesChanged: new Set(),
    problems: [],
    nudged: false,
  };
  const base = { specialist: s.name, ...input };
  for (let i = 0; i < rt.limits.maxToolSteps; i++) {
    const prompt = buildPrompt({
      role: s.role,
      phase: rt.state.phase,
      size: s.size ?? 'large',
      contextWindow: s.contextWindow,
      tools,
      taskTokens: thread.estimator.text(message),
      dependencies: rt.spec.dependsOn?.length ?? 0,
      attempts: rt.state.attempts,
      failures: loop.failures,
      upstream: (rt.spec.upstream ?? []).map((u) => `${u.agentId}: ${u.result.slice(0, 500)}`),
      estimator: thread.estimator,
    });
    const event = await rt.effects.model(
      'specialist',
      thread,
      {
        alias: s.alias,
        system: prompt.system,
        tools: prompt.tools,
        temperature: s.temperature,
      },
      prompt.tokens,
    );
    if (!event.result.ok)
      return finished(
        base,
        loop,
        `the model failed: ${event.result.error}`,
        false,
        failureOf(event.result.kind),
      );
    const { text, toolCalls } = event.result;
    loop.failures = [];
    if (toolCalls.length === 0) {
      if (loop.executed > 0 || prompt.tools.length === 0 || loop.nudged)
        return finished(base, loop, text, true);
      loop.nudged = true;
      thread.add({ role: 'assistant', content: text });
      loop.failures.push({ kind: 'no_call' });
      continue;
    }
    await runCalls(rt, thread, text, toolCalls, loop);
  }
  return finished(
    base,
    loop,
    `ran out of ${rt.limits.maxToolSteps} steps without a final answer`,
    false,
    'stall',
  );
}

async function runCalls(
  rt: Runtime,
  thread: Thread,
  text: string,
  calls: readonly LoggedToolCall[],
  loop: LoopState,
): Promise<void> {
  const valid = calls.filter((c) => !c.problem);
  const invalid = calls.filter((c) => c.problem);
  const narrated = invalid
    .map((c) => `(tried to call ${c.name || '<no name>'} ${JSON.stringify(c.input)})`)
    .join('\n');
  thread.add({
    role: 'assistant',
    content: [text, narrated].filter(Boolean).join('\n'),
    toolCalls: valid.map(({ id, name, input }) => ({ id, name, input })),
  });
  for (const c of invalid) {
    loop.failures.push(c.problem!);
    loop.problems.push(problemText(c.problem!));
  }
  for (const c of valid) {
    const result = await rt.effects.tool(c);
    if (result.ok) loop.executed++;
    else loop.failedCalls++;
    for (const f of result.filesChanged ?? []) loop.filesChanged.add(f);
    thread.add({ role: 'tool', content: result.output, toolCallId: c.id, toolName: c.name });
  }
}

function specialistTools(rt: Runtime, s: SpecialistSpec): PromptTool[] {
  return s.tools.map((name) => rt.tools.get(name)).filter((t): t is EngineTool<never> => t !== undefined);
}

function finished(
  base: ConsultInput & { specialist: string },
  loop: LoopState,
  summary: string,
  answered: boolean,
  failure?: FailureKind,
): Consultation {
  const unresolved = loop.failures.length > 0;
  const c: Consultation = {
    ...base,
    summary,
    valid: answered && !unresolved,
    executed: loop.executed,
    failedCalls: loop.failedCalls,
    toolsOffered: loop.toolsOffered,
    problems: loop.problems,
    filesChanged: [...loop.filesChanged],
  };
  const kind = failure ?? (unresolved ? failureOfProblem(loop.failures[0]!) : undefined);
  if (kind) c.failure = kind;
  return c;
}

function failureOf(kind: FailureKind | 'cancelled'): FailureKind {
  return kind === 'cancelled' ? 'timeout' : kind;
}

function failureOfProblem(p: CallProblem): FailureKind {
  return p.kind === 'unknown_tool' || p.kind === 'empty_name' ? 'unknown_tool' : 'invalid_tool_call';
}

export function problemText(p: CallProblem): string {
  switch (p.kind) {
    case 'unknown_tool':
      return `called unknown tool ${p.name}`;
    case 'empty_name':
      return 'made a tool call without a name';
    case 'no_call':
      return 'answered without a tool call';
    case 'invalid_input':
      return `invalid arguments for ${p.tool}: ${p.error}`;
  }
}
