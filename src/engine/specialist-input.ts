// The message a specialist gets for a consultation, and the reading of an input too large for
// one prompt: above 70% of the model's context window it is split into chunks; the model reads
// them one at a time and writes notes (pinned in its thread), then gets the last chunk with the
// instruction to act.
import { chunkText, needsChunking } from './chunking.ts';
import type { SpecialistSpec } from './engine-types.ts';
import type { Runtime } from './runtime.ts';
import type { Thread } from './thread.ts';

/** a chunk's share of the context window: room for notes, the system prompt and the reply */
const CHUNK_SHARE = 0.35;

export function consultMessage(input: { instruction: string; acceptance: string; files?: string[] }): string {
  return [
    `Instruction:\n${input.instruction}`,
    `Acceptance: ${input.acceptance}`,
    ...(input.files?.length ? [`Files to look at: ${input.files.join(', ')}`] : []),
  ].join('\n\n');
}

/** Returns the message to act on: `message` itself, or its last chunk after the others were read. */
export async function readInChunks(
  rt: Runtime,
  s: SpecialistSpec,
  thread: Thread,
  message: string,
): Promise<string> {
  if (!needsChunking(message, s.contextWindow, thread.estimator)) return message;
  const chunks = chunkText(message, Math.floor(s.contextWindow * CHUNK_SHARE), thread.estimator);
  const n = chunks.length;
  for (let i = 0; i < n - 1; i++) {
    thread.add({
      role: 'user',
      content: `Part ${i + 1} of ${n} of a long input. Read it and write the notes you will need; do not act yet.\n\n${chunks[i]}`,
    });
    const event = await rt.effects.model('specialist', thread, {
      alias: s.alias,
      system: `You are ${s.role}`,
      temperature: s.temperature,
    });
    const notes = event.result.ok
      ? event.result.text
      : `(part ${i + 1} could not be read: ${event.result.error})`;
    thread.add({ role: 'assistant', content: `Notes on part ${i + 1} of ${n}:\n${notes}`, pinned: true });
  }
  return `Part ${n} of ${n} (the last). Your notes on the earlier parts are above. Now act on the whole input.\n\n${chunks[n - 1]}`;
}
