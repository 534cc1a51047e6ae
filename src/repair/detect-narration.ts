// "Narrated but not called": a reply that announces a tool call ("I will now call write_file",
// "Let me use the search tool", "I'll write the file now") and makes none. The gateway and the
// engine re-ask such replies instead of handing them on as an answer.
import { normalizeName } from './match-tool-name.ts';

const INTENT =
  /\b(?:i(?:'ll| will| shall| am going to|'m going to| need to| should| can| would like to)|let me|let's|now i(?:'ll| will)?|next,? i(?:'ll| will)?|i'm (?:now )?(?:going to|about to)|calling|invoking|using|executing|running)\b/i;
const VERB =
  /\b(?:call|use|invoke|run|execute|trigger|employ|utili[sz]e|calling|invoking|using|executing|running)\b/i;

/** The sentence announcing a call, or undefined. `tools` null: the offered tools are not known. */
export function detectNarration(text: string, tools: readonly string[] | null): string | undefined {
  if (tools !== null && tools.length === 0) return undefined;
  for (const sentence of sentences(text)) {
    if (!INTENT.test(sentence)) continue;
    if (isPastOrNegated(sentence)) continue;
    if (tools === null) {
      if (VERB.test(sentence) && /\b(?:tool|function)\b/i.test(sentence)) return sentence.trim();
      continue;
    }
    if (tools.some((t) => namesTool(sentence, t))) return sentence.trim();
    if (VERB.test(sentence) && /\b(?:the|a) (?:\w+ )?(?:tool|function)\b/i.test(sentence))
      return sentence.trim();
  }
  return undefined;
}

function sentences(text: string): string[] {
  // code is not narration
  const prose = text.replace(/```[\s\S]*?(?:```|$)/g, ' ');
  return prose.split(/(?<=[.!?:])\s+|\n+/).filter((s) => s.trim() !== '');
}

/** "I can't call", "I won't use", "I called ... and": not an announcement of a call to come. */
function isPastOrNegated(s: string): boolean {
  return /\b(?:can(?:no|')t|won't|will not|don't|do not|shouldn't|should not|never|without)\b/i.test(s);
}

/** The sentence names the tool (`write_file`, `writeFile`, `write file`) or all its words. */
function namesTool(sentence: string, tool: string): boolean {
  const key = normalizeName(tool);
  if (key.length < 3) return false;
  const words = sentence.split(/[^A-Za-z0-9_-]+/).filter((w) => w !== '');
  if (words.map(normalizeName).includes(key)) return true;
  // "write the file" for write_file, "search the web" for web_search: every word of the tool's
  // name close together, one of them an action word
  const parts = tool
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((p) => p.length > 1);
  if (parts.length < 2 || !parts.some((p) => VERB_LIKE.test(p))) return false;
  const lower = words.map((w) => w.toLowerCase());
  const at = parts.map((p) => lower.findIndex((w) => w.startsWith(stem(p))));
  if (at.some((i) => i < 0)) return false;
  return Math.max(...at) - Math.min(...at) <= parts.length + 3;
}

// tool names that start with an action word can be narrated in plain words
const VERB_LIKE =
  /^(?:write|read|create|delete|remove|list|search|get|fetch|run|execute|edit|update|send|open|save|find|move|copy|make|add|set)$/;

function stem(word: string): string {
  return word.length > 4 ? word.slice(0, word.length - 1) : word;
}
