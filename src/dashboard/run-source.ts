// What the runs page reads: the runs of the run store and, per run, its agents, plan and events.
// Implemented over the runner's run store (issue 17); the dashboard depends only on this port.

export interface RunSummary {
  id: string;
  pipeline: string;
  state: string;
  /** the run's clock (virtual for an emulated run), ms */
  startedAtMs?: number;
  finishedAtMs?: number;
  /** the time of its latest event, ms */
  updatedAtMs?: number;
  emulated: boolean;
  agents: number;
  agentsDone: number;
  heals: number;
  /** the question of a run waiting for the user */
  question?: string;
  /** why it ended (run_finished's message) */
  message?: string;
  /** the process executing it, when one is recorded; `alive: false` for an unfinished run whose
   * process is gone (it waits for `orchestra runs resume`) */
  executor?: { pid: number; alive: boolean };
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
  /** where open spans of the Gantt end, ms from the run's start: now for a live run on the wall
   * clock, its latest event for an emulated or stopped one */
  spanNowMs: number;
  healEvents: Array<{ atMs: number; agent?: string; kind: string; action: string; detail: string }>;
  /** the latest events, newest last */
  events: Array<{ seq: number; atMs: number; type: string; agent?: string; summary: string }>;
}

/** what the answer set going: the process resuming the run, or why none was started */
export interface AnswerResult {
  resumed?: { pid: number; logFile: string };
  /** what the user must do when the run was not resumed here */
  note?: string;
}

export interface RunSource {
  list(): RunSummary[];
  get(id: string): RunDetail | undefined;
  /** calls `listener` when a run changes (in process, or seen in the store written by another one) */
  subscribe(listener: () => void): () => void;
  /** answers a waiting run's question and resumes it; AppError when the run is not waiting */
  answer(id: string, text: string): Promise<AnswerResult>;
}
