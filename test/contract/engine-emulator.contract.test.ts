// The engine's model-call contract on the emulated fleet on the manual clock: through the
// gateway's app in process (the default), and through a gateway listening on a socket with a
// master key (the gateway running elsewhere). The emulated model follows instructions the way
// the contract expects of a capable model: it calls an offered tool, and it answers a format
// request with JSON of the schema (the emulator's own).
import type { ResponderInput, ResponderOutput } from '../../src/emulator/responders/responder.ts';
import { defaultResponder } from '../../src/emulator/responders/default-responder.ts';
import { gatewayConnection } from '../../src/engine/gateway-connection.ts';
import { gatewayHarness } from '../e2e/gateway-harness.ts';
import { engineFleet } from '../engine/engine-harness.ts';
import { listenOnLoopback, untilOverSockets } from '../engine/http-gateway.ts';
import { engineModelsContract } from './engine-models-contract.ts';

const compliant = (input: ResponderInput): ResponderOutput =>
  input.tools.includes('write_file')
    ? { content: '', toolCalls: [{ name: 'write_file', arguments: { path: 'a.txt', content: 'hi' } }] }
    : defaultResponder(input);

engineModelsContract('emulated fleet through the gateway (in process)', async () => {
  const h = await gatewayHarness({ fleet: engineFleet(), responder: compliant });
  return {
    connection: gatewayConnection({ app: { fetch: h.fetch } }),
    alias: 'arbiter',
    until: (p) => h.until(p),
    close: () => h.close(),
  };
});

const KEY = 'contract-master-key';

engineModelsContract('emulated fleet through the gateway over HTTP, with a key', async () => {
  const h = await gatewayHarness({
    fleet: engineFleet(),
    responder: compliant,
    env: { ORCHESTRA_MASTER_KEY: KEY },
  });
  const server = await listenOnLoopback(h.fetch);
  return {
    connection: gatewayConnection({ url: server.url, apiKey: KEY }),
    alias: 'arbiter',
    until: (p) => untilOverSockets(h.clock, p),
    close: () => {
      server.close();
      h.close();
    },
  };
});
