// The engine's model-call contract on the emulated fleet, in process on the manual clock. The
// emulated model follows instructions the way the contract expects of a capable model: it calls
// an offered tool, and it answers a format request with JSON of the schema (the emulator's own).
import type { ResponderInput, ResponderOutput } from '../../src/emulator/responders/responder.ts';
import { defaultResponder } from '../../src/emulator/responders/default-responder.ts';
import { BASE, gatewayHarness } from '../e2e/gateway-harness.ts';
import { engineFleet } from '../engine/engine-harness.ts';
import { engineModelsContract } from './engine-models-contract.ts';

const compliant = (input: ResponderInput): ResponderOutput =>
  input.tools.includes('write_file')
    ? { content: '', toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'hi' } }] }
    : defaultResponder(input);

engineModelsContract('emulated fleet through the gateway (in process)', async () => {
  const h = await gatewayHarness({ fleet: engineFleet(), responder: compliant });
  return {
    connection: { baseURL: `${BASE}/v1`, fetch: h.fetch },
    alias: 'arbiter',
    until: (p) => h.until(p),
    close: () => h.close(),
  };
});
