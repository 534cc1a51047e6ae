// One arbiter decision: a structured-output call (no tools, low temperature, the decision's JSON
// Schema as response_format), validated against the state; up to `maxReasks` corrective re-asks
// naming the error; then the rule-based fallback. A failed arbiter model also falls back to the
// rules, so a down arbiter does not stop the agent.
import { ARBITER_DECISION_JSON_SCHEMA, parseDecision } from './arbiter-decision.ts';
import { arbiterSystem, correction, stepMessage, taskMessage } from './arbiter-prompt.ts';
import { invalidReason } from './decision-rules.ts';
import type { ArbiterDecision, DecisionSource, SpecialistSpec } from './engine-types.ts';
import { ruleDecision } from './rule-fallback.ts';
import type { Runtime } from './runtime.ts';

export interface Decided {
  decision: ArbiterDecision;
  source: DecisionSource;
  reasks: number;
}

const ARBITER_TEMPERATURE = 0.1;

export async function decide(rt: Runtime, offered: readonly SpecialistSpec[]): Promise<Decided> {
  const thread = rt.threads.arbiter(rt.spec);
  if (thread.messages.length === 0) thread.add({ role: 'user', content: taskMessage(rt.spec), pinned: true });
  thread.system = arbiterSystem();
  thread.add({ role: 'user', content: stepMessage(rt.journal.step, rt.state, offered) });
  let reasks = 0;
  for (;;) {
    const reply = await askArbiter(rt);
    if (!reply.ok) break;
    thread.add({ role: 'assistant', content: reply.text });
    const parsed = parseDecision(reply.text);
    const error = parsed.ok ? invalidReason(parsed.decision, rt.state, offered, rt.spec) : parsed.error;
    if (parsed.ok && error === undefined) return { decision: parsed.decision, source: 'model', reasks };
    if (reasks === rt.limits.maxReasks) break;
    reasks++;
    thread.add({ role: 'user', content: correction(error ?? 'invalid', offered) });
  }
  const decision = ruleDecision(rt.state, offered, rt.spec);
  thread.add({ role: 'user', content: `The rules decided instead: ${JSON.stringify(decision)}` });
  return { decision, source: 'fallback', reasks };
}

async function askArbiter(rt: Runtime): Promise<{ ok: true; text: string } | { ok: false }> {
  const thread = rt.threads.arbiter(rt.spec);
  const event = await rt.effects.model('arbiter', thread, {
    alias: rt.spec.arbiter.alias,
    system: thread.system,
    schema: ARBITER_DECISION_JSON_SCHEMA,
    temperature: rt.spec.arbiter.temperature ?? ARBITER_TEMPERATURE,
  });
  return event.result.ok ? { ok: true, text: event.result.text } : { ok: false };
}
