export { openUsageStore, type UsageStore } from './usage-store.ts';
export {
  CALL_OUTCOMES,
  USAGE_GROUPS,
  type CallOutcome,
  type ToolCallRecord,
  type ApiFace,
  type DailyUsageTotals,
  type UsageGroup,
  type UsageRecord,
  type UsageTotals,
} from './usage-record.ts';
export { savingsBaseline, dollarsSaved, type PriceBaseline } from './savings.ts';
export { parseDurationMs } from './parse-duration.ts';
export { storePathFor } from './store-path.ts';
export { SCHEMA_VERSION } from './migrations.ts';
export {
  openKnowledgeStore,
  type KnowledgeStore,
  type KnowledgeStoreOptions,
  type AddResult,
} from './knowledge-store.ts';
export {
  NOTE_TYPES,
  type Embedder,
  type NewNote,
  type Note,
  type NoteFilter,
  type NoteType,
  type Ranking,
  type SearchHit,
  type SearchOptions,
  type SearchResult,
} from './knowledge-note.ts';
export { openEffectJournal, type EffectJournalStore, type JournalEntry } from './effect-journal-store.ts';
