// What the runs page reads: the runs of the run store and, per run, its agents, plan and events.
// Implemented over the runner's run store (issue 17); the dashboard depends only on this port.

export interface RunSummary {
  id: string;
  pipeline: string;
  state: string;
  startedAtMs?: number;
  finishedAtMs?: number;
  agents: number;
  agentsDone: number;
  heals: number;
  /** the question of a run waiting for the user */
  question?: string;
}

export interface RunAgentView {
  id: string;
  state: string;
  model?: string;
  server?: string;
  /** planned and actual spans, ms from the run's start */
  planned?: { startMs: number; endMs: number; server?: string };
  actual?: { startMs: number; endMs?: number; server?: string };
  tokens: number;
  repairs: number;
  heals: number;
}

export interface RunDetail extends RunSummary {
  agentsList: RunAgentView[];
  heals: number;
  healEvents: Array<{ atMs: number; agent?: string; kind: string; action: string }>;
  /** the latest events, newest last */
  events: Array<{ seq: number; atMs: number; type: string; agent?: string; summary: string }>;
}

export interface RunSource {
  list(): RunSummary[];
  get(id: string): RunDetail | undefined;
  /** calls `listener` when a run changes (in process, or seen in the store written by another one) */
  subscribe(listener: () => void): () => void;
  /** answers a waiting run's question; AppError when the run is not waiting */
  answer(id: string, text: string): Promise<void>;
}
