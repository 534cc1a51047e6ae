// What a translation to a backend dropped or approximated (tool_choice "required", which Ollama
// cannot enforce; think for a model without the capability; ...) is logged, so an operator can see
// why a model behaves unlike the cloud API a client expected. Once per server, model and note: the
// same client sends the same kind of request all day, and a line per request would drown the log.
// Notes name fields and tools, never prompt text.
import type { Logger } from './logger.ts';

/**
 * distinct notes logged per server and model. A note can name a tool the client chose, so a client
 * could make any number of them; past this, one warning says the rest are not logged.
 */
export const MAX_NOTES_PER_MODEL = 50;

/** returns, for one server and model, the onNote that logs each distinct note once */
export function translationNoteLogger(
  logger: Logger,
): (server: string, model: string) => (note: string) => void {
  return (server, model) => {
    const logged = new Set<string>();
    return (note) => {
      if (logged.has(note) || logged.size > MAX_NOTES_PER_MODEL) return;
      logged.add(note);
      if (logged.size <= MAX_NOTES_PER_MODEL)
        logger.info('translation note (logged once per server, model and note)', { server, model, note });
      else
        logger.warn(`translation notes: over ${MAX_NOTES_PER_MODEL} distinct ones; no more are logged`, {
          server,
          model,
        });
    };
  };
}
