// The agent's event log as the engine sees it: on a fresh start every event is appended; on
// resume the engine runs its loop again from the top and the journal hands back what the log
// already holds (model replies, tool results, checks, answers) instead of performing it again.
// Once the logged events are used up, the loop is live again. An event the loop produces that
// does not match the log's next event means the log belongs to another agent or engine version:
// that is an error, never a silent divergence.
import { AppError } from '../core/errors/index.ts';
import type { Clock } from '../lib/clock.ts';
import type { EngineEvent, EngineLog } from './engine-types.ts';

type Body<E> = E extends unknown ? Omit<E, 'at' | 'step'> : never;
export type EventBody = Body<EngineEvent>;
export type EventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;

export class Journal {
  private readonly log: EngineLog;
  private readonly clock: Clock;
  private readonly prior: readonly EngineEvent[];
  private cursor = 0;
  step = 0;

  constructor(log: EngineLog, clock: Clock) {
    this.log = log;
    this.clock = clock;
    this.prior = [...log.events()];
  }

  get replaying(): boolean {
    return this.cursor < this.prior.length;
  }

  /** Appends `body` (live) or checks it against the log's next event (replay) and returns it. */
  async record<E extends EventBody>(body: E): Promise<EngineEvent & E> {
    const logged = this.prior[this.cursor];
    if (logged) {
      if (!sameEvent(logged, body))
        throw new AppError(
          'internal',
          `event log does not match the agent's replay at event ${this.cursor + 1}: logged ${describe(logged)}, replay produced ${describe(body)}`,
        );
      this.cursor++;
      return logged;
    }
    const event = { ...body, at: this.clock.now(), step: this.step } as EngineEvent & E;
    await this.log.append(event);
    return event;
  }

  /** The log's next event when it is of `type` (and matches), consumed; otherwise undefined. */
  take<T extends EngineEvent['type']>(
    type: T,
    match: (e: EventOf<T>) => boolean = () => true,
  ): EventOf<T> | undefined {
    const logged = this.prior[this.cursor];
    if (!logged || logged.type !== type || !match(logged as EventOf<T>)) return undefined;
    this.cursor++;
    return logged as EventOf<T>;
  }
}

function sameEvent(logged: EngineEvent, body: EventBody): boolean {
  if (logged.type !== body.type) return false;
  const key = (e: object): string | undefined =>
    'callId' in e ? String(e.callId) : 'key' in e ? String(e.key) : undefined;
  return key(logged) === key(body);
}

function describe(e: { type: string }): string {
  const key = 'callId' in e ? ` ${String(e.callId)}` : 'key' in e ? ` ${String(e.key)}` : '';
  return `${e.type}${key}`;
}
