// Every policy by its config name.
import { AppError } from '../../core/errors/index.ts';
import { POLICY_NAMES, type PolicyName } from '../../config/schema.ts';
import type { Policy } from '../policy.ts';
import { alwaysSwapPolicy } from './always-swap-policy.ts';
import { createGxaPolicy } from './gxa-policy.ts';
import { llamaSwapFifoPolicy } from './llama-swap-fifo-policy.ts';
import { ollamaPolicy } from './ollama-policy.ts';

const POLICIES: Record<PolicyName, Policy> = {
  gxa: createGxaPolicy('gxa'),
  ollama: ollamaPolicy,
  'always-swap': alwaysSwapPolicy,
  'llama-swap-fifo': llamaSwapFifoPolicy,
  exhaustive: createGxaPolicy('exhaustive'),
};

export function policyByName(name: string): Policy {
  const p = (POLICIES as Record<string, Policy | undefined>)[name];
  if (!p)
    throw new AppError(
      'bad_request',
      `unknown policy ${JSON.stringify(name)} (expected one of: ${POLICY_NAMES.join(', ')})`,
    );
  return p;
}

export { POLICY_NAMES };
