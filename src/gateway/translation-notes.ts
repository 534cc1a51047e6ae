// What a translation to a backend dropped or approximated (tool_choice "required", which Ollama
// cannot enforce; think for a model without the capability; ...) is logged, so an operator can see
// why a model behaves unlike the cloud API a client expected. Once per server, model and note: the
// same client sends the same kind of request all day, and a line per request would drown the log.
// Notes name fields and tools, never prompt text.
import { setBounded } from '../lib/bounded-map.ts';
import type { Logger } from './logger.ts';

/** distinct notes remembered; beyond, the least recently seen may be logged again */
const MAX_NOTES = 1000;

/** returns, for one server and model, the onNote that logs each distinct note once */
export function translationNoteLogger(
  logger: Logger,
): (server: string, model: string) => (note: string) => void {
  const seen = new Map<string, true>();
  return (server, model) => (note) => {
    const key = `${server}\u0000${model}\u0000${note}`;
    const known = seen.has(key);
    setBounded(seen, key, true, MAX_NOTES);
    if (!known)
      logger.info('translation note (logged once per server, model and note)', { server, model, note });
  };
}
