// Model text -> an FTS5 MATCH expression that cannot be a syntax error. A query such as
// `"unterminated`, `a:b`, `NOT`, `x AND (y` or `col:*` is FTS5 syntax (or an error) when passed as
// is; here every word is quoted as its own phrase, so operators, column filters and quotes lose their
// meaning, and the words are joined with OR: BM25 then ranks notes matching more (and rarer) words
// higher, which suits questions in natural language better than requiring every word.

/** the most words of one query that are searched for (the rest are ignored) */
export const MAX_QUERY_TERMS = 32;

// English function words, dropped from a query that has other words: with OR, "how does the
// parser work" would otherwise match every note containing "the"
const STOP_WORDS = new Set(
  (
    'a an and are as at be but by can could did do does for from had has have how i if in into is it its ' +
    'me my no not of on or our should so than that the their them then there these they this those to ' +
    'was we were what when where which who why will with would you your'
  ).split(' '),
);

/** the words of `text` as FTS5's unicode61 tokenizer sees them (letters and digits), lower-cased,
 * each once, at most MAX_QUERY_TERMS, without English function words unless there is nothing else */
export function queryTerms(text: string): string[] {
  const seen = new Set<string>();
  for (const m of text.normalize('NFKC').matchAll(/[\p{L}\p{N}]+/gu)) {
    seen.add(m[0].toLowerCase());
    if (seen.size >= MAX_QUERY_TERMS) break;
  }
  const all = [...seen];
  const content = all.filter((t) => !STOP_WORDS.has(t));
  return content.length > 0 ? content : all;
}

/** the MATCH expression for `text`, or undefined when it has no word to search for */
export function toFtsQuery(text: string): string | undefined {
  const terms = queryTerms(text);
  // a term has no double quote (only letters and digits), so quoting needs no escaping
  return terms.length === 0 ? undefined : terms.map((t) => `"${t}"`).join(' OR ');
}
