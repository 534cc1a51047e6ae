// Faults the emulator can inject, set at creation or through POST /admin/faults:
//   loadFailure        loads fail with a 500 (out of memory), for one model or all
//   resetAfterChunks   streamed responses break off after N chunks (connection reset)
//   slowFirstTokenMs   extra delay before the first token, ms of the emulator's clock
//   down               the server refuses everything but /admin (in-process fetch throws like
//                      ECONNREFUSED; on a socket the connection is closed)
// `null` clears a fault.
import { z } from 'zod';

export const FaultsSchema = z.strictObject({
  loadFailure: z
    .strictObject({ model: z.string().min(1).optional(), message: z.string().min(1).optional() })
    .nullable()
    .optional(),
  resetAfterChunks: z.number().int().nonnegative().nullable().optional(),
  slowFirstTokenMs: z.number().nonnegative().nullable().optional(),
  down: z.boolean().optional(),
});

export type FaultsInput = z.infer<typeof FaultsSchema>;

export interface Faults {
  loadFailure?: { model?: string; message?: string };
  resetAfterChunks?: number;
  slowFirstTokenMs?: number;
  down?: boolean;
}

/** the current faults with `change` applied (null removes a fault, undefined keeps it) */
export function mergeFaults(current: Faults, change: FaultsInput): Faults {
  const next: Faults = { ...current };
  for (const key of ['loadFailure', 'resetAfterChunks', 'slowFirstTokenMs', 'down'] as const) {
    const v = change[key];
    if (v === null || v === false) delete next[key];
    else if (v !== undefined) (next as Record<string, unknown>)[key] = v;
  }
  return next;
}

/** the error a fetch throws when nothing listens on the port (what undici throws) */
export function connectionRefused(url: string): TypeError {
  const cause = Object.assign(new Error(`connect ECONNREFUSED ${new URL(url).host}`), {
    code: 'ECONNREFUSED',
  });
  return new TypeError('fetch failed', { cause });
}
