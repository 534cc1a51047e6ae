// Invariants of the emulated Ollama core over random arrivals, cancels and time steps.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFleetObject } from '../config/index.ts';
import { isAppError } from '../core/errors/index.ts';
import type { CoreEvent } from './core-types.ts';
import { OllamaCore } from './ollama-core.ts';

const fleet = parseFleetObject(
  {
    servers: [
      { name: 'box', url: 'http://127.0.0.1:1', memoryGiB: 24, parallel: 2, queueMax: 6, maxLoadedModels: 2 },
    ],
    models: [
      {
        name: 'big-a',
        memoryGiB: 14,
        contextTokens: 4096,
        kvBytesPerToken: 65536,
        loadSeconds: 20,
        servers: ['box'],
      },
      { name: 'big-b', memoryGiB: 12, contextTokens: 4096, loadSeconds: 15, paramsB: 20, servers: ['box'] },
      { name: 'mid', memoryGiB: 6, contextTokens: 8192, servers: ['box'] },
      { name: 'mid-long', weights: 'mid', memoryGiB: 6, contextTokens: 16384, servers: ['box'] },
      { name: 'tiny', memoryGiB: 1, contextTokens: 2048, loadSeconds: 2, servers: ['box'] },
    ],
  },
  'property.yaml',
);
const MODELS = fleet.models.map((m) => m.name);

type Op =
  | {
      kind: 'submit';
      model: number;
      prompt: number;
      output: number;
      keepAlive: number | null;
      ctx: number | null;
      turns: string[] | null;
    }
  | { kind: 'cancel'; pick: number }
  | { kind: 'wait'; ms: number }
  | { kind: 'expire'; model: number }
  | { kind: 'loadFailure'; on: boolean };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('submit' as const),
    model: fc.nat(MODELS.length - 1),
    prompt: fc.nat(3000),
    output: fc.nat(400),
    keepAlive: fc.option(fc.constantFrom(0, 1000, 60_000, 300_000)),
    ctx: fc.option(fc.constantFrom(2048, 4096, 8192)),
    /** a conversation of 1-4 turns out of a few: prompts share prefixes, so slot caches hit */
    turns: fc.option(fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 4 })),
  }),
  fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(1000) }),
  fc.record({ kind: fc.constant('wait' as const), ms: fc.nat(120_000) }),
  fc.record({ kind: fc.constant('expire' as const), model: fc.nat(MODELS.length - 1) }),
  fc.record({ kind: fc.constant('loadFailure' as const), on: fc.boolean() }),
);

/** prompt parts of a conversation; its reply is cached as the next turn's assistant message */
function conversation(turns: string[]) {
  const parts = turns.map((t, i) => ({
    key: `${i}:${turns.slice(0, i + 1).join('')}`,
    tokens: 100 * (i + 1),
  }));
  return {
    promptTokens: parts.reduce((n, p) => n + p.tokens, 0),
    promptParts: parts,
    replyKey: `${turns.length}:${turns.join('')}`,
  };
}

let cacheHits = 0;

function check(ops: Op[]): void {
  const core = new OllamaCore({ server: fleet.servers[0]!, models: fleet.models, start: 0 });
  const submitted: string[] = [];
  const ends = new Map<string, number>();
  let now = 0;
  let n = 0;
  const observe = (events: CoreEvent[]): void => {
    for (const e of events) {
      if (e.type === 'done' || e.type === 'failed' || e.type === 'cancelled') {
        expect(submitted).toContain(e.id);
        ends.set(e.id, (ends.get(e.id) ?? 0) + 1);
      }
      if (e.type === 'done') {
        const t = e.timings;
        expect(Math.min(t.loadMs, t.prefillMs, t.decodeMs)).toBeGreaterThanOrEqual(0);
        expect(t.totalMs + 1e-6).toBeGreaterThanOrEqual(t.loadMs + t.prefillMs + t.decodeMs);
        expect(e.cachedTokens).toBeGreaterThanOrEqual(0);
        if (e.cachedTokens > 0) cacheHits++;
        if (e.promptTokens + e.cachedTokens > 0) expect(e.promptTokens).toBeGreaterThanOrEqual(1);
      }
    }
    const snap = core.snapshot();
    expect(snap.usedGiB).toBeLessThanOrEqual(snap.capacityGiB + 1e-9);
    expect(snap.runners.length).toBeLessThanOrEqual(2);
    expect(snap.queued).toBeLessThanOrEqual(6);
  };
  for (const o of ops) {
    if (o.kind === 'wait') observe(core.advance((now += o.ms)));
    else if (o.kind === 'cancel' && submitted.length > 0)
      observe(core.cancel(submitted[o.pick % submitted.length]!, now));
    else if (o.kind === 'expire') observe(core.expire(MODELS[o.model]!, now));
    else if (o.kind === 'loadFailure') core.setLoadFailure(o.on ? { model: 'big-b' } : undefined);
    else if (o.kind === 'submit') {
      const id = `r${n++}`;
      let events: CoreEvent[];
      try {
        events = core.submit(
          {
            id,
            model: MODELS[o.model]!,
            promptTokens: o.prompt,
            outputTokens: o.output,
            ...(o.keepAlive === null ? {} : { keepAliveMs: o.keepAlive }),
            ...(o.ctx === null ? {} : { numCtx: o.ctx }),
            ...(o.turns === null ? {} : conversation(o.turns)),
          },
          now,
        );
      } catch (e) {
        expect(isAppError(e) && e.code === 'overloaded').toBe(true);
        continue;
      }
      submitted.push(id);
      observe(events);
    }
  }
  // With finite keep-alives everything ends: run the core to quiescence.
  for (let at = core.nextEventAt(); at !== undefined; at = core.nextEventAt()) observe(core.advance(at));
  for (const id of submitted) expect(ends.get(id), id).toBe(1);
  const snap = core.snapshot();
  expect(snap.queued + snap.admitted).toBe(0);
  expect(snap.runners.every((r) => r.refCount === 0)).toBe(true);
}

describe('OllamaCore properties', () => {
  it('never exceeds memory, and every request ends exactly once (done, failed or cancelled)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80, size: 'max' }), (ops) => check(ops)),
      { numRuns: 300, seed: 42 },
    );
    expect(cacheHits).toBeGreaterThan(0); // the runs did exercise the slot caches
  });

  it('gives the same events for the same inputs', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 40 }), (ops) => {
        const run = (): string => {
          const core = new OllamaCore({ server: fleet.servers[0]!, models: fleet.models, start: 0 });
          const log: CoreEvent[] = [];
          let now = 0;
          ops.forEach((o, i) => {
            if (o.kind === 'wait') log.push(...core.advance((now += o.ms)));
            else if (o.kind === 'submit')
              try {
                log.push(
                  ...core.submit(
                    { id: `r${i}`, model: MODELS[o.model]!, promptTokens: o.prompt, outputTokens: o.output },
                    now,
                  ),
                );
              } catch {
                log.push({ type: 'cancelled', id: `rejected-${i}`, at: now });
              }
          });
          return JSON.stringify(log);
        };
        expect(run()).toBe(run());
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
