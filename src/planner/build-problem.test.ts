import { describe, expect, it } from 'vitest';
import { parseFleetObject, type FleetConfig } from '../config/index.ts';
import { costKey, resolveModelCosts, serviceSeconds } from '../cost/model-costs.ts';
import { buildProblem } from './build-problem.ts';
import { parsePipelineObject } from './parse-pipeline.ts';
import { applyWhatIf } from './what-if.ts';

const fleet: FleetConfig = parseFleetObject(
  {
    servers: [{ name: 'mini', url: 'http://127.0.0.1:11434', memoryGiB: 24, resident: ['big'] }],
    models: [
      { name: 'big', paramsB: 32, memoryGiB: 18.5, loadSeconds: 42, servers: ['mini'] },
      { name: 'small', paramsB: 7, memoryGiB: 4.4, loadSeconds: 24, servers: ['mini'] },
    ],
    aliases: { coder: ['big', 'small'] },
  },
  'fleet.yaml',
  { env: {} },
);

const pipeline = (agents: unknown[]) => parsePipelineObject({ name: 't', agents }, 'p.yaml');
const errorOf = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('buildProblem', () => {
  it('resolves aliases, converts tokens with the cost model and keeps the initial residents', () => {
    const p = buildProblem(
      pipeline([
        { id: 'a', model: 'coder', work: '2m' },
        { id: 'b', model: 'small', work: { prompt: 1000, output: 200, turns: 3 }, after: ['a'] },
      ]),
      fleet,
    );
    expect(p.models).toEqual(['big', 'small']);
    expect(p.tasks[0]).toMatchObject({ model: 0, durations: [120], succs: [1] });
    const c = resolveModelCosts(fleet).models.get(costKey('mini', 'small'))!;
    expect(p.tasks[1]!.durations[0]).toBeCloseTo(3 * serviceSeconds(c, 1000, 200, 1), 9);
    expect(p.servers[0]).toMatchObject({ initialMask: 1, loadSeconds: [42, 24] });
  });

  it('names the agent and the model when a model is unknown or fits no server', () => {
    expect(errorOf(() => buildProblem(pipeline([{ id: 'qa', model: 'gpt', work: '1m' }]), fleet))).toMatch(
      /agents\[0\]\.model: agent qa: unknown model "gpt" \(expected one of the models big, small or the aliases coder\)/,
    );
    const tiny = applyWhatIf(fleet, { memoryGiB: 8 });
    expect(errorOf(() => buildProblem(pipeline([{ id: 'qa', model: 'big', work: '1m' }]), tiny))).toMatch(
      /agent qa: model big fits no server \(needs 20\.5 GiB on mini, which has 8 GiB\)/,
    );
    expect(
      errorOf(() =>
        buildProblem(pipeline([{ id: 'qa', model: 'big', work: '1m', fallback: 'nope' }]), fleet),
      ),
    ).toMatch(/agent qa: unknown fallback model "nope"/);
  });

  it('what-if adds empty servers like the first and changes memory', () => {
    const more = applyWhatIf(fleet, { extraServers: 2, memoryGiB: 48 });
    expect(more.servers.map((s) => [s.name, s.memoryGiB, s.resident])).toEqual([
      ['mini', 48, ['big']],
      ['mini+1', 48, []],
      ['mini+2', 48, []],
    ]);
    expect(more.models[0]!.servers).toEqual(['mini', 'mini+1', 'mini+2']);
    const p = buildProblem(pipeline([{ id: 'a', model: 'big', work: '1m' }]), more);
    expect(p.servers.map((s) => s.initialMask)).toEqual([1, 0, 0]);
  });
});
