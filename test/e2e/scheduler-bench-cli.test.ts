// `orchestra bench scheduler` through the CLI's main(): one JSON document of the shape,
// tables otherwise, usage errors with exit code 2.
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';

async function run(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('orchestra bench scheduler', () => {
  it('prints exactly one JSON document with the medians per policy', async () => {
    const r = await run([
      'bench',
      'scheduler',
      '--trace',
      'T4',
      '--policy',
      'gxa,ollama',
      '--seeds',
      '1',
      '--json',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    const doc = JSON.parse(r.out[0]!) as {
      traces: Array<{ name: string; policies: Array<Record<string, unknown>> }>;
    };
    expect(doc.traces.map((t) => t.name)).toEqual(['T4']);
    const [gxa, ollama] = doc.traces[0]!.policies;
    expect(Object.keys(gxa!)).toEqual([
      'name',
      'swaps',
      'visitsByModel',
      'swapFloor',
      'loadSeconds',
      'reprefillTokens',
      'makespanSeconds',
      'throughputPerMinute',
      'wait',
      'waitByModel',
      'jain',
      'withinTarget',
    ]);
    expect(gxa!.name).toBe('gxa');
    expect(ollama!.name).toBe('ollama');
    expect(Object.keys(gxa!.wait as object)).toEqual(['p50', 'p95', 'p99', 'max']);
    expect(Object.keys((gxa!.waitByModel as Record<string, object>).trickle!)).toEqual(['p50', 'p99', 'max']);
    // the starvation probe: Ollama's own scheduler leaves the trickle model waiting far longer
    const trickle = (p: Record<string, unknown>) =>
      (p.waitByModel as Record<string, { max: number }>).trickle!.max;
    expect(trickle(gxa!)).toBeLessThan(trickle(ollama!));
    // visits per server and model, judged against two loads per visit to the trickle model
    const visits = gxa!.visitsByModel as Record<string, Record<string, number>>;
    expect(visits.pro?.trickle).toBeGreaterThan(0);
    expect(gxa!.swapFloor).toBe(2 * visits.pro!.trickle!);
  });

  it('prints a side-by-side table per trace', async () => {
    const r = await run(['bench', 'scheduler', '--trace', 'T1', '--policy', 'gxa', '--seeds', '1']);
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toMatch(/T1\/1srv/);
    expect(text).toMatch(/T1\/2srv/);
    expect(text).toMatch(/policy\s+swaps\s+load s/);
  });

  it('answers bad usage with exit code 2 and what was expected', async () => {
    expect((await run(['bench', 'planet'])).err.join('\n')).toMatch(/expected "bench scheduler/);
    const badTrace = await run(['bench', 'scheduler', '--trace', 'T9']);
    expect(badTrace.code).toBe(2);
    expect(badTrace.err.join('\n')).toMatch(/--trace: expected all or one of T1, T2, T3, T4, found "T9"/);
    expect((await run(['bench', 'scheduler', '--seeds', '0'])).code).toBe(2);
    expect((await run(['bench', 'scheduler', '--policy', 'fifo'])).code).toBe(2);
  });
});
