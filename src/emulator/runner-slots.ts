// A runner's parallel slots: which waiting request gets which slot (longest cached prefix), its
// prefill and shared decode, and what a finished request leaves in the slot's cache.
import { batchingGain } from '../cost/index.ts';
import type { CoreEvent, CoreRequest } from './core-types.ts';
import { pickSlot, type PromptPart } from './prompt-cache.ts';
import { rerate, type Req, type Runner } from './runner.ts';

/** Starts waiting requests while the ready runner has free slots; pushes 'started' events. */
export function startSlots(runner: Runner, t: number, parallel: number, out: CoreEvent[]): void {
  if (runner.state !== 'ready') return;
  while (runner.active.length < parallel && runner.waiting.length > 0) {
    const req = runner.waiting.shift()!;
    const busy = new Set(runner.active.map((q) => q.slot));
    const free = runner.slotCaches.map((_, i) => i).filter((i) => !busy.has(i));
    const { slot, cachedTokens } = pickSlot(runner.slotCaches, free, partsOf(req.r));
    // Like llama.cpp, at least one prompt token is always evaluated.
    req.cachedTokens = Math.min(cachedTokens, Math.max(0, req.r.promptTokens - 1));
    req.slot = slot;
    runner.slotCaches[slot] = [];
    req.readyAt ??= Math.max(t, runner.readyAt);
    const evaluated = req.r.promptTokens - req.cachedTokens;
    req.prefillMs =
      (evaluated / runner.timing.prefillTokensPerSecond) * 1000 + (req.r.extraFirstTokenMs ?? 0);
    req.decodeStart = t + req.prefillMs;
    req.lastUpdate = req.decodeStart;
    runner.active.push(req);
    rerateRunner(runner, t);
    req.decodeMs = req.finishAt! - req.decodeStart;
    const loadMs = req.readyAt - req.arrivedAt;
    out.push({
      type: 'started',
      id: req.r.id,
      at: t,
      prefillMs: req.prefillMs,
      decodeMs: req.decodeMs,
      loadMs,
    });
  }
}

/** re-rates the runner's streams for the number of requests now in its slots */
export function rerateRunner(runner: Runner, t: number): void {
  const b = runner.active.length;
  if (b === 0) return;
  rerate(runner.active, t, (runner.timing.decodeTokensPerSecond * batchingGain(b)) / b / 1000);
}

/** A request's decode ended at `t`: it leaves its slot, whose cache keeps prompt and reply. */
export function completeInSlot(req: Req, t: number): CoreEvent {
  const runner = req.runner!;
  runner.active = runner.active.filter((q) => q !== req);
  const parts = partsOf(req.r);
  runner.slotCaches[req.slot!] = req.r.replyKey
    ? [...parts, { key: req.r.replyKey, tokens: req.r.outputTokens }]
    : [...parts];
  return {
    type: 'done',
    id: req.r.id,
    at: t,
    promptTokens: req.r.promptTokens - req.cachedTokens,
    cachedTokens: req.cachedTokens,
    outputTokens: req.r.outputTokens,
    timings: {
      totalMs: t - req.arrivedAt,
      loadMs: req.readyAt! - req.arrivedAt,
      prefillMs: req.prefillMs,
      decodeMs: t - req.decodeStart,
    },
  };
}

/** the request's prompt parts; a prompt without parts can never hit the cache */
function partsOf(r: CoreRequest): readonly PromptPart[] {
  return r.promptParts ?? [{ key: `request:${r.id}`, tokens: r.promptTokens }];
}
