// The whole ladder: rungs 1-4 (synchronous), then in `full` mode rung 5, an interpreter model
// that rewrites a broken call's arguments under the tool's JSON Schema as Ollama's `format`
// (constrained decoding, one shot), and rung 6, one corrective re-ask of the original model naming
// the valid tools and the exact error. The model call is injected: the ladder stays pure.
import { AppError } from '../core/errors/index.ts';
import { runLadder, type Failure } from './repair-tool-calls-sync.ts';
import type {
  ModelReply,
  OfferedTool,
  RepairModelCall,
  RepairOptions,
  RepairResult,
  RepairedCall,
} from './repair-types.ts';
import { resolveCall } from './resolve-call.ts';
import { parseJson } from './raw-call.ts';
import { stripFence } from './call-payload.ts';

export async function repairToolCalls(
  reply: ModelReply,
  tools: readonly OfferedTool[] | null,
  options: RepairOptions,
): Promise<RepairResult> {
  const first = runLadder(reply, tools, {});
  if (options.mode === 'salvage') return first.result;
  const callModel = options.callModel;
  if (!callModel)
    throw new AppError('internal', 'tool-call repair mode "full" needs a callModel for rungs 5-6', {
      path: 'callModel',
    });
  const { result, failures } = first;
  if (result.verdict === 'no_call') return result;
  const notes: string[] = []; // what rungs 5-6 met on the way
  const calls = [...result.calls];
  const stillFailing: Failure[] = [];
  for (const f of failures) {
    const interpreted =
      f.kind === 'invalid' && f.tool ? await interpret(f, f.tool, callModel, notes) : undefined;
    if (interpreted) calls.push(interpreted);
    else stillFailing.push(f);
  }
  const leftover = () => [
    ...result.problems.filter(
      (p) => !failures.some((f) => f.problem === p) || stillFailing.some((f) => f.problem === p),
    ),
    ...notes,
  ];
  if (calls.length > 0) return { verdict: 'calls', calls, text: result.text, problems: leftover() };
  if (tools !== null && tools.length === 0) return { ...result, problems: leftover() };
  const reasked = await reask(reply, tools, result.problems, callModel, notes);
  return reasked ?? { ...result, problems: leftover() };
}

const INTERPRET_SYSTEM =
  'You turn a broken tool call into the arguments object it meant. Reply with only that JSON object, ' +
  'taking every value from the text you are given; never invent a value that is not there.';

/** Rung 5: the interpreter model, constrained to the tool's schema, one shot. */
async function interpret(
  f: Failure,
  tool: OfferedTool,
  callModel: RepairModelCall,
  problems: string[],
): Promise<RepairedCall | undefined> {
  const prompt = [
    `Tool: ${tool.name}${tool.description ? ` (${tool.description})` : ''}`,
    `Arguments JSON Schema: ${JSON.stringify(tool.parameters)}`,
    `The call as the model wrote it:\n${f.body}`,
    `What was wrong: ${f.problem}`,
    'The arguments object:',
  ].join('\n\n');
  const reply = await ask(
    callModel,
    { purpose: 'interpret', system: INTERPRET_SYSTEM, prompt, format: tool.parameters },
    problems,
  );
  if (!reply) return undefined;
  const native = reply.nativeCalls?.[0];
  const parsed = native ? { value: native.arguments, repaired: false } : jsonObjectIn(reply.text);
  if (!parsed) {
    problems.push(`${tool.name}: the interpreter's reply was not JSON`);
    return undefined;
  }
  const r = resolveCall(
    { name: tool.name, args: parsed.value, base: 5, repaired: false, fuzzy: false, coerce: true },
    [tool],
  );
  if (r.kind !== 'ok') {
    problems.push(
      `${tool.name}: the interpreter's arguments were not valid either: ${'problem' in r ? r.problem : ''}`,
    );
    return undefined;
  }
  return { name: r.name, arguments: r.arguments, rung: 5, form: 'interpreted' };
}

/** Rung 6: one corrective re-ask of the original model; its reply goes through rungs 1-4 again. */
async function reask(
  reply: ModelReply,
  tools: readonly OfferedTool[] | null,
  errors: string[],
  callModel: RepairModelCall,
  problems: string[],
): Promise<RepairResult | undefined> {
  const valid = tools === null ? 'the tools you were offered' : tools.map((t) => t.name).join(', ');
  const schemas =
    tools === null
      ? ''
      : `\n\nTheir argument schemas:\n${tools.map((t) => `${t.name}: ${JSON.stringify(t.parameters)}`).join('\n')}`;
  const prompt = [
    `Your previous reply did not make a valid tool call:\n${errors.map((p) => `- ${p}`).join('\n')}`,
    `The valid tools are: ${valid}.${schemas}`,
    'If a tool call is needed, make it now as a tool call (JSON: {"name": ..., "arguments": {...}}), ' +
      'with arguments valid against its schema. If none is needed, answer without one.',
    `Your previous reply was:\n${reply.text}`,
  ].join('\n\n');
  const again = await ask(callModel, { purpose: 'reask', prompt }, problems);
  if (!again) return undefined;
  const second = runLadder(again, tools, {}).result;
  if (second.verdict !== 'calls') {
    problems.push(
      `the re-ask gave no valid call either (${second.verdict}${second.problems[0] ? `: ${second.problems[0]}` : ''})`,
    );
    return undefined;
  }
  const calls: RepairedCall[] = second.calls.map((c) => ({ ...c, rung: 6, form: 'reasked' }));
  return { verdict: 'calls', calls, text: second.text, problems: second.problems };
}

async function ask(
  callModel: RepairModelCall,
  request: Parameters<RepairModelCall>[0],
  problems: string[],
): Promise<ModelReply | undefined> {
  try {
    return await callModel(request);
  } catch (e) {
    // a failing helper model must not lose the reply: the ladder answers with what it has
    problems.push(`the ${request.purpose} model call failed: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/** The interpreter was constrained to an object: anything else (prose) is a failure, not a value. */
function jsonObjectIn(text: string): { value: unknown; repaired: boolean } | undefined {
  const t = stripFence(text.trim());
  return t.startsWith('{') ? parseJson(t) : undefined;
}
