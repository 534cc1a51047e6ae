import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRunStore } from './run-store.ts';

const ev = (type: string, at = 1) => ({
  at,
  source: 'runner' as const,
  agent: null,
  attempt: null,
  type,
  body: { type },
});

describe('run store', () => {
  it('numbers events per run and reads them back in order', () => {
    const s = openRunStore(':memory:');
    expect(s.append('a', ev('x'))).toBe(1);
    expect(s.append('b', ev('x'))).toBe(1);
    expect(s.append('a', ev('y'))).toBe(2);
    expect(s.events('a').map((e) => [e.seq, e.type])).toEqual([
      [1, 'x'],
      [2, 'y'],
    ]);
    expect(s.events('a', 1).map((e) => e.type)).toEqual(['y']);
    expect(
      s
        .runs()
        .map((r) => r.runId)
        .sort(),
    ).toEqual(['a', 'b']);
    s.close();
  });

  it('keeps what was appended across a reopen of the file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'runstore-')), 'runs.sqlite');
    const s = openRunStore(file);
    s.append('r', {
      at: 5,
      source: 'engine',
      agent: 'coder',
      attempt: 2,
      type: 'model_call',
      body: { n: 1 },
    });
    s.close();
    const again = openRunStore(file);
    expect(again.attemptEvents('r', 'coder', 2)).toEqual([
      {
        runId: 'r',
        seq: 1,
        at: 5,
        source: 'engine',
        agent: 'coder',
        attempt: 2,
        type: 'model_call',
        body: { n: 1 },
      },
    ]);
    expect(again.attemptEvents('r', 'coder', 1)).toEqual([]);
    again.close();
  });

  it('refuses a second live executor of one run', () => {
    const s = openRunStore(':memory:');
    s.claim('r', 100, 0, () => true);
    expect(() => s.claim('r', 200, 0, () => true)).toThrow(/being executed by process 100/);
    s.claim('r', 200, 0, () => false); // the first one died
    expect(s.owner('r')).toBe(200);
    s.release('r', 200);
    expect(s.owner('r')).toBeUndefined();
    s.close();
  });
});
