// A consultation as a step of the loop: run the specialist, log what came of it, count it in the
// specialist's record, and leave the result pending for the arbiter's review.
import type { SpecialistSpec } from './engine-types.ts';
import { addOnce, remember, statsOf } from './engine-state.ts';
import type { Runtime } from './runtime.ts';
import { consult, type ConsultInput } from './specialist-run.ts';

export async function runConsultation(rt: Runtime, s: SpecialistSpec, input: ConsultInput): Promise<void> {
  const { state, journal } = rt;
  statsOf(state, s.name).calls++;
  const c = await consult(rt, s, input);
  for (const f of c.filesChanged) addOnce(state.filesChanged, f);
  await journal.record({
    type: 'consultation',
    specialist: s.name,
    valid: c.valid,
    summary: c.summary.slice(0, 2000),
    filesChanged: c.filesChanged,
  });
  if (c.failure) {
    await journal.record({
      type: 'failure',
      kind: c.failure,
      detail: `${s.name}: ${c.problems.join('; ') || c.summary}`,
    });
    if (c.failure === 'backend_down' || c.failure === 'timeout') addOnce(state.unhealthy, s.name);
  } else {
    state.unhealthy = state.unhealthy.filter((n) => n !== s.name);
  }
  // problems the specialist got past after the reminders: healed without anyone's help
  if (c.valid && c.problems.length > 0)
    await journal.record({
      type: 'heal',
      kind: c.problems.some((p) => p.includes('unknown tool')) ? 'unknown_tool' : 'invalid_tool_call',
      action: 'reminder in the next prompt',
    });
  if (!c.valid) state.attempts++;
  state.pending = c;
  remember(
    state,
    journal.step,
    `consulted ${s.name} (${c.valid ? 'valid' : 'not valid'}, ${c.executed} tool calls, files: ${c.filesChanged.join(', ') || 'none'}): ${c.summary.slice(0, 200)}`,
  );
}
