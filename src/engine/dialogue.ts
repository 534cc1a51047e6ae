// Two specialists talk one question through, for up to `maxDialogueTurns` turns. After each turn
// the arbiter reviews it (one structured call): continue, modify (the message the other side gets
// is rewritten) or stop with an outcome. Each reply stays in its speaker's thread as its own turn
// and in the other's thread as a message from the speaker, so both keep the whole transcript.
import { z } from 'zod';
import type { SpecialistSpec } from './engine-types.ts';
import type { Runtime } from './runtime.ts';
import type { Thread } from './thread.ts';

export const TurnReviewSchema = z.discriminatedUnion('verdict', [
  z.object({ verdict: z.literal('continue') }),
  z.object({ verdict: z.literal('modify'), message: z.string().trim().min(1) }),
  z.object({ verdict: z.literal('stop'), outcome: z.string().trim().min(1) }),
]);
export type TurnReview = z.infer<typeof TurnReviewSchema>;
const TURN_REVIEW_JSON_SCHEMA = z.toJSONSchema(TurnReviewSchema) as Record<string, unknown>;

export interface DialogueOutcome {
  outcome: string;
  turns: number;
  /** the outcome came from the arbiter's stop, not from running out of turns */
  concluded: boolean;
}

export async function dialogue(
  rt: Runtime,
  pair: readonly [SpecialistSpec, SpecialistSpec],
  question: string,
): Promise<DialogueOutcome> {
  const threads = [rt.threads.specialist(pair[0]), rt.threads.specialist(pair[1])] as const;
  threads[0].add({ role: 'user', content: `Question to talk through with ${pair[1].name}:\n${question}` });
  threads[1].add({
    role: 'user',
    content: `${pair[0].name} will discuss this question with you:\n${question}`,
  });
  let last = '';
  for (let turn = 0; turn < rt.limits.maxDialogueTurns; turn++) {
    const me = turn % 2 === 0 ? 0 : 1;
    const speaker = pair[me];
    const event = await rt.effects.model('dialogue', threads[me], {
      alias: speaker.alias,
      system: `You are ${speaker.role} Discuss with ${pair[1 - me]!.name}; be concrete and brief.`,
      temperature: speaker.temperature,
    });
    if (!event.result.ok)
      return ended(threads, question, {
        outcome: `the dialogue stopped: ${speaker.name} failed (${event.result.error})`,
        turns: turn,
        concluded: false,
      });
    last = event.result.text;
    threads[me].add({ role: 'assistant', content: last });
    const review = await reviewTurn(rt, question, speaker.name, last, turn);
    await rt.journal.record({
      type: 'dialogue_turn',
      turn,
      speaker: speaker.name,
      text: last,
      review: review.verdict,
    });
    // the other side hears every turn, the last one too, so both threads hold the transcript
    const passed = review.verdict === 'modify' ? review.message : last;
    threads[1 - me]!.add({ role: 'user', content: passed, from: speaker.name });
    if (review.verdict === 'stop')
      return ended(threads, question, { outcome: review.outcome, turns: turn + 1, concluded: true });
  }
  return ended(threads, question, { outcome: last, turns: rt.limits.maxDialogueTurns, concluded: false });
}

/** Tells both speakers how the dialogue ended: later work in either thread builds on it. */
function ended(threads: readonly [Thread, Thread], question: string, o: DialogueOutcome): DialogueOutcome {
  const how = o.concluded ? 'The arbiter concluded' : `It ended after ${o.turns} turns without a conclusion`;
  const content = `End of the dialogue on "${question}". ${how}: ${o.outcome}`;
  // one thread when both speakers run on the same model: tell it once
  for (const t of new Set(threads)) t.add({ role: 'user', content });
  return o;
}

async function reviewTurn(
  rt: Runtime,
  question: string,
  speaker: string,
  text: string,
  turn: number,
): Promise<TurnReview> {
  const thread = rt.threads.arbiter(rt.spec);
  thread.add({
    role: 'user',
    content: `Dialogue on "${question}", turn ${turn + 1} of at most ${rt.limits.maxDialogueTurns}, ${speaker} said:\n${text}\n\nReview the turn: {"verdict":"continue"}, {"verdict":"modify","message":"what the other side should get instead"} or {"verdict":"stop","outcome":"the conclusion"}. JSON Schema: ${JSON.stringify(TURN_REVIEW_JSON_SCHEMA)}`,
  });
  for (let i = 0; i <= rt.limits.maxReasks; i++) {
    const event = await rt.effects.model('arbiter', thread, {
      alias: rt.spec.arbiter.alias,
      system: thread.system,
      schema: TURN_REVIEW_JSON_SCHEMA,
      temperature: rt.spec.arbiter.temperature ?? 0.1,
    });
    if (!event.result.ok) break;
    thread.add({ role: 'assistant', content: event.result.text });
    const parsed = parseReview(event.result.text);
    if (parsed.ok) return parsed.review;
    thread.add({
      role: 'user',
      content: `Invalid review: ${parsed.error}. Answer with one JSON object of the schema.`,
    });
  }
  // the rules: let the dialogue run its turns; the last turn's reply is the outcome
  return turn + 1 >= rt.limits.maxDialogueTurns
    ? { verdict: 'stop', outcome: text }
    : { verdict: 'continue' };
}

function parseReview(text: string): { ok: true; review: TurnReview } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));
  } catch {
    return { ok: false, error: 'expected one JSON object' };
  }
  const r = TurnReviewSchema.safeParse(json);
  return r.success
    ? { ok: true, review: r.data }
    : {
        ok: false,
        error: r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; '),
      };
}
