// One run's log over the run store: appends runner events, hands the engine an EngineLog per agent
// attempt, and keeps the folded state current. Every append is committed before it returns, so
// the engine's "persisted before the next effect" holds.
import type { EngineEvent, EngineLog } from '../engine/engine-types.ts';
import type { Clock } from '../lib/clock.ts';
import type { RunStore, StoredEvent } from '../store/run-store.ts';
import type { LoggedEvent, RunnerEvent } from './run-events.ts';
import { applyEvent, foldRun, type RunView } from './run-state.ts';

export function toLogged(e: StoredEvent): LoggedEvent {
  if (e.source === 'engine')
    return {
      seq: e.seq,
      at: e.at,
      source: 'engine',
      agent: e.agent ?? '',
      attempt: e.attempt ?? 0,
      event: e.body as unknown as EngineEvent,
    };
  return { seq: e.seq, at: e.at, source: 'runner', event: e.body as unknown as RunnerEvent };
}

export function readRun(store: RunStore, runId: string): { view: RunView; events: LoggedEvent[] } {
  const events = store.events(runId).map(toLogged);
  return { view: foldRun(runId, events), events };
}

export interface RunLogOptions {
  store: RunStore;
  runId: string;
  clock: Clock;
  /** called after every append with the event and the new state (progress, pause hooks) */
  onEvent?: (event: LoggedEvent, view: RunView) => void;
}

export class RunLog {
  readonly runId: string;
  #store: RunStore;
  #clock: Clock;
  #view: RunView;
  #onEvent: RunLogOptions['onEvent'];

  constructor(o: RunLogOptions) {
    this.runId = o.runId;
    this.#store = o.store;
    this.#clock = o.clock;
    this.#onEvent = o.onEvent;
    this.#view = readRun(o.store, o.runId).view;
  }

  get view(): RunView {
    return this.#view;
  }

  append(event: RunnerEvent): void {
    const agent = 'agent' in event ? event.agent : null;
    const attempt = 'attempt' in event ? event.attempt : null;
    const at = this.#clock.now();
    const seq = this.#store.append(this.runId, {
      at,
      source: 'runner',
      agent,
      attempt,
      type: event.type,
      body: event,
    });
    this.#advance({ seq, at, source: 'runner', event });
  }

  /** the engine's log of one agent attempt: its prior events, and appends that commit */
  engineLog(agent: string, attempt: number): EngineLog {
    return {
      events: () =>
        this.#store
          .attemptEvents(this.runId, agent, attempt)
          .filter((e) => e.source === 'engine')
          .map((e) => e.body as unknown as EngineEvent),
      append: (event) => {
        const seq = this.#store.append(this.runId, {
          at: event.at,
          source: 'engine',
          agent,
          attempt,
          type: event.type,
          body: event as unknown as Record<string, unknown>,
        });
        this.#advance({ seq, at: event.at, source: 'engine', agent, attempt, event });
      },
    };
  }

  #advance(logged: LoggedEvent): void {
    this.#view = applyEvent(this.#view, logged);
    this.#onEvent?.(logged, this.#view);
  }
}
