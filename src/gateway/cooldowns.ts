// Per-model cooldown: after `failures` failures in a row a model is skipped for `seconds`
// (gateway.cooldown). A success resets the count.
import type { GatewayConfig } from '../config/index.ts';
import type { Clock } from '../lib/clock.ts';

export class Cooldowns {
  private readonly config: GatewayConfig['cooldown'];
  private readonly clock: Clock;
  private failures = new Map<string, number>();
  private until = new Map<string, number>();

  constructor(config: GatewayConfig['cooldown'], clock: Clock) {
    this.config = config;
    this.clock = clock;
  }

  /** epoch ms until which `model` is skipped, or undefined when it may be tried */
  coolingUntil(model: string): number | undefined {
    const t = this.until.get(model);
    if (t === undefined) return undefined;
    if (this.clock.now() >= t) {
      this.until.delete(model);
      return undefined;
    }
    return t;
  }

  /** records a failure; true when this failure started a cooldown */
  failed(model: string): boolean {
    if (!this.config.enabled) return false;
    const n = (this.failures.get(model) ?? 0) + 1;
    if (n < this.config.failures) {
      this.failures.set(model, n);
      return false;
    }
    this.failures.delete(model);
    this.until.set(model, this.clock.now() + this.config.seconds * 1000);
    return true;
  }

  succeeded(model: string): void {
    this.failures.delete(model);
  }

  /** forgets `model`'s failures and cooldown (its server was down and answers again) */
  reset(model: string): void {
    this.failures.delete(model);
    this.until.delete(model);
  }

  /** models cooling down right now */
  active(): string[] {
    return [...this.until.keys()].filter((m) => this.coolingUntil(m) !== undefined);
  }
}
