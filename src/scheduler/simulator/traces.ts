// The benchmark traces T1-T4 (DESIGN.md "Traces"). Fleets are built here so the traces are fixed;
// T3's fleet mirrors examples/army.yaml.
import { FleetSchema, type FleetConfig, type FleetInput } from '../../config/schema.ts';
import { costsOf, resolveModelCosts } from '../../cost/model-costs.ts';
import { DEFAULT_POLICY_OPTIONS, type PolicyOptions } from '../scheduler-types.ts';
import { meanCallSeconds, offMedianForLoad, offeredCallsPerMinute } from './offered-load.ts';
import type { AgentSpec, Trace } from './trace.ts';

const MIN = 60_000;
const TOOL_DELAY_MS = 8000;

export const TRACE_NAMES = ['T1', 'T2', 'T3', 'T4'] as const;
export type TraceName = (typeof TRACE_NAMES)[number];

/** every variant of a trace family: T1 on 1 and 2 servers, T2 at three loads */
export function tracesOf(name: TraceName): Trace[] {
  switch (name) {
    case 'T1':
      return [t1(1), t1(2)];
    case 'T2':
      return [t2(0.5), t2(0.7), t2(0.85)];
    case 'T3':
      return [t3()];
    case 'T4':
      return [t4()];
  }
}

function options(o: Partial<PolicyOptions> = {}): PolicyOptions {
  return { ...DEFAULT_POLICY_OPTIONS, ...o };
}

function fleet(input: FleetInput): FleetConfig {
  return FleetSchema.parse(input);
}

const url = (i: number): string => `http://127.0.0.1:${11434 + i}`;

// T1: the seed's 14-agent DAG in its "work" model (DESIGN.md "Reference results").
const T1_TASKS: ReadonlyArray<
  readonly [id: string, model: string, minutes: number, after: readonly string[]]
> = [
  ['architect', 'quality', 3, []],
  ['credentials', 'fast', 3, []],
  ['python', 'latest', 3.75, ['architect']],
  ['go', 'latest', 3.75, ['architect']],
  ['authentik', 'latest', 3.75, ['architect']],
  ['devops', 'latest', 3.75, ['architect']],
  ['swift', 'latest', 2, ['architect']],
  ['flutter', 'latest', 2, ['architect']],
  ['rust', 'latest', 2, ['architect']],
  ['api-explorer', 'latest', 2, ['architect']],
  ['salesforce', 'latest', 2, ['architect']],
  ['qa', 'quality', 5, ['python', 'go']],
  ['security', 'quality', 5, ['python', 'authentik']],
  ['docs', 'quality', 5, ['python']],
];

export function t1(servers: 1 | 2): Trace {
  const names = servers === 1 ? ['s1'] : ['s1', 's2'];
  // 24 GiB, the seed profile: a 32B (0.7 min to load) or the 7B (0.4 min), never two at once.
  const f = fleet({
    servers: names.map((name, i) => ({
      name,
      url: url(i),
      profile: 'seed',
      memoryGiB: 24,
      resident: i === 0 ? ['quality'] : [],
    })),
    // the work model has no prefill cost: say so, so the policy prices re-prefill as the trace does
    models: [
      {
        name: 'quality',
        paramsB: 32,
        memoryGiB: 18.5,
        contextTokens: 8192,
        servers: names,
        prefillTokensPerSecond: 1e9,
      },
      {
        name: 'latest',
        paramsB: 32,
        memoryGiB: 18.5,
        contextTokens: 8192,
        servers: names,
        prefillTokensPerSecond: 1e9,
      },
      {
        name: 'fast',
        paramsB: 7,
        memoryGiB: 4.4,
        contextTokens: 32768,
        servers: names,
        prefillTokensPerSecond: 1e9,
      },
    ],
  });
  const agents: AgentSpec[] = T1_TASKS.map(([id, model, minutes, after]) => ({
    id,
    model,
    startMs: 0,
    after: after.length ? after : undefined,
    tasks: 1,
    workMs: minutes * MIN,
  }));
  return {
    name: `T1/${servers}srv`,
    description: `the seed's 14-agent DAG, work model, ${servers} server(s), DAG hints`,
    fleet: f,
    options: options(),
    agents,
    horizonMs: Infinity,
    toolDelayMedianMs: 0,
    hints: true,
    workModel: true,
    lowerBoundSeconds: (servers === 1 ? 47.8 : 24.65) * 60,
  };
}

// T2: one 24 GB GPU box, three mutually exclusive models used by 9, 4 and 1 agents, bursty. A GPU
// rather than a Mac so calls take seconds, not minutes, and 8 hours hold enough on/off cycles.
export function t2(rho: number): Trace {
  const f = fleet({
    servers: [{ name: 'gpu', url: url(0), profile: 'rtx4090-24', memoryGiB: 22.5, resident: ['coder'] }],
    models: [
      { name: 'coder', paramsB: 32, memoryGiB: 18.5, contextTokens: 8192, servers: ['gpu'] },
      { name: 'general', paramsB: 32, memoryGiB: 18.5, contextTokens: 8192, servers: ['gpu'] },
      { name: 'mid', paramsB: 14, memoryGiB: 8.4, contextTokens: 16384, servers: ['gpu'] },
    ],
  });
  const groups: Array<[string, number]> = [
    ['coder', 9],
    ['general', 4],
    ['mid', 1],
  ];
  return onOffTrace(
    `T2@${rho}`,
    `three groups 9/4/1 on one server, on/off traffic at rho ${rho}`,
    f,
    groups,
    rho,
    1,
    8 * 60 * MIN,
  );
}

// T3: 117 agents in three tiers on the three servers of examples/army.yaml.
export function t3(): Trace {
  const f = fleet({
    servers: [
      { name: 'mini-a', url: url(0), profile: 'm4pro-64', memoryGiB: 48, resident: ['qwen-latest'] },
      { name: 'mini-b', url: url(1), profile: 'm4pro-64', memoryGiB: 48, resident: ['qwen-quality'] },
      { name: 'mini-c', url: url(2), profile: 'm4-32', memoryGiB: 21.3, resident: ['qwen-fast'] },
    ],
    models: [
      {
        name: 'qwen-latest',
        paramsB: 32,
        memoryGiB: 18.5,
        contextTokens: 32768,
        servers: ['mini-a', 'mini-b'],
      },
      {
        name: 'qwen-quality',
        paramsB: 32,
        memoryGiB: 18.5,
        contextTokens: 32768,
        servers: ['mini-a', 'mini-b'],
      },
      { name: 'qwen-mid', paramsB: 14, memoryGiB: 8.4, contextTokens: 16384, servers: ['mini-b', 'mini-c'] },
      { name: 'qwen-fast', paramsB: 7, memoryGiB: 4.4, contextTokens: 32768, servers: ['mini-a', 'mini-c'] },
    ],
  });
  const groups: Array<[string, number]> = [
    ['qwen-quality', 9],
    ['qwen-latest', 24],
    ['qwen-mid', 12],
    ['qwen-fast', 72],
  ];
  return onOffTrace(
    'T3',
    '117 agents in 3 tiers on 3 servers (examples/army.yaml), rho 0.7',
    f,
    groups,
    0.7,
    3,
    8 * 60 * MIN,
  );
}

// T4: two groups that saturate two co-resident 14B models, and one agent of a 32B that needs room.
export function t4(): Trace {
  const f = fleet({
    servers: [{ name: 'pro', url: url(0), profile: 'm4pro-64', memoryGiB: 48, resident: ['sat-a', 'sat-b'] }],
    models: [
      { name: 'sat-a', paramsB: 14, memoryGiB: 8.4, contextTokens: 32768, servers: ['pro'] },
      { name: 'sat-b', paramsB: 14, memoryGiB: 8.4, contextTokens: 32768, servers: ['pro'] },
      { name: 'trickle', paramsB: 32, memoryGiB: 18.5, contextTokens: 32768, servers: ['pro'] },
    ],
  });
  const agents: AgentSpec[] = [];
  for (const model of ['sat-a', 'sat-b'])
    for (let i = 0; i < 6; i++)
      agents.push({ id: `${model}-${i}`, model, startMs: i * 1000, tasks: Infinity });
  agents.push({
    id: 'trickle-0',
    model: 'trickle',
    startMs: 5 * MIN,
    tasks: Infinity,
    turns: 3,
    offMedianMs: 10 * MIN,
  });
  return {
    name: 'T4',
    description: 'starvation probe: two saturating groups on co-resident 14Bs, a trickle 32B',
    fleet: f,
    options: options(),
    agents,
    horizonMs: 2 * 60 * MIN,
    toolDelayMedianMs: TOOL_DELAY_MS,
    hints: false,
    workModel: false,
  };
}

function onOffTrace(
  name: string,
  description: string,
  f: FleetConfig,
  groups: ReadonlyArray<[string, number]>,
  rho: number,
  servers: number,
  horizonMs: number,
): Trace {
  const costs = resolveModelCosts(f);
  const loads = groups.map(([model, count]) => {
    const server = f.models.find((m) => m.name === model)!.servers[0]!;
    return { count, callSeconds: meanCallSeconds(costsOf(costs, server, model)) };
  });
  const off = offMedianForLoad(loads, rho * servers, TOOL_DELAY_MS);
  const agents: AgentSpec[] = [];
  for (const [model, count] of groups)
    for (let i = 0; i < count; i++)
      agents.push({
        id: `${model}-${i}`,
        model,
        startMs: (agents.length * 7919) % (10 * MIN),
        tasks: Infinity,
        offMedianMs: off,
      });
  return {
    name,
    description,
    fleet: f,
    options: options(),
    agents,
    horizonMs,
    toolDelayMedianMs: TOOL_DELAY_MS,
    hints: false,
    workModel: false,
    rho,
    offeredCallsPerMinute: offeredCallsPerMinute(loads, off, TOOL_DELAY_MS),
  };
}
