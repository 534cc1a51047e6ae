// An agent's spec checked once before the loop starts: every error names what was wrong, where,
// and what was expected.
import { AppError } from '../core/errors/index.ts';
import type { AgentSpec, EngineOptions } from './engine-types.ts';

export function validateSpec(spec: AgentSpec, options: EngineOptions): void {
  const where = `agent ${spec.agentId}`;
  const fail = (path: string, message: string): never => {
    throw new AppError('bad_request', `${where}: ${path}: ${message}`, { path });
  };
  if (!spec.runId || !spec.agentId) fail('runId/agentId', 'expected non-empty ids');
  if (spec.specialists.length === 0) fail('specialists', 'expected at least one specialist');
  if (spec.phases && spec.phases.length === 0) fail('phases', 'expected at least one phase when given');
  if (!(spec.arbiter.contextWindow > 0))
    fail('arbiter.contextWindow', `expected a positive number, found ${spec.arbiter.contextWindow}`);
  const names = new Set<string>();
  const tools = new Set(options.tools.map((t) => t.name));
  spec.specialists.forEach((s, i) => {
    const at = `specialists[${i}]`;
    if (!/^[A-Za-z0-9_.-]+$/.test(s.name))
      fail(`${at}.name`, `expected letters, digits, "_", "-" or ".", found ${JSON.stringify(s.name)}`);
    if (names.has(s.name)) fail(`${at}.name`, `duplicate specialist name ${s.name}`);
    names.add(s.name);
    if (!s.alias) fail(`${at}.alias`, 'expected a model alias');
    if (!(Number.isInteger(s.contextWindow) && s.contextWindow > 0))
      fail(`${at}.contextWindow`, `expected a positive integer, found ${s.contextWindow}`);
    const missing = s.tools.filter((t) => !tools.has(t));
    if (missing.length)
      fail(
        `${at}.tools`,
        `unknown tool ${missing.join(', ')}; tools given to the engine: ${[...tools].join(', ') || '(none)'}`,
      );
  });
  if (spec.acceptance?.kind === 'command' && !options.checks)
    fail('acceptance', 'a command acceptance needs the checks port (EngineOptions.checks) to run it');
}
