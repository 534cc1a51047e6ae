// `orchestra serve`: flags -> startGatewayServer (src/app.ts) -> wait for SIGINT/SIGTERM.
import { startGatewayServer } from '../../app.ts';
import { POLICY_NAMES } from '../../config/index.ts';
import { numberFlag, parseFlags, UsageError, type Command } from '../command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the OpenAI/Anthropic/Ollama-compatible gateway that schedules every request',
  help: `Usage:
  orchestra serve [--config FILE] [--port N] [--host HOST] [--policy NAME]

--config   fleet config (default orchestra.yaml)
--port     listen port (default gateway.port, 4000)
--host     listen address (default gateway.host, 127.0.0.1)
--policy   scheduling policy: ${POLICY_NAMES.join(', ')} (default scheduler.policy, gxa)

Endpoints: POST /v1/chat/completions, GET /v1/models, POST /v1/messages, POST /v1/messages/count_tokens,
POST /api/chat, POST /api/generate, POST /v1/embeddings, POST /api/embed, GET /api/tags, GET /api/ps, GET /health, GET /ready, GET /metrics, GET /admin/queue,
GET /ui (the web dashboard: sign in with the master key; it stays in the browser tab's session storage).
Keys: Authorization: Bearer KEY or x-api-key: KEY (master key from ORCHESTRA_MASTER_KEY, named keys
from \`orchestra keys add\`). Without any key the gateway runs open on loopback only.
Logs are JSON lines on stderr, without prompt text or keys.`,
  async run(argv, io) {
    const { values, positionals } = parseFlags(argv, {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      policy: { type: 'string' },
    });
    if (positionals.length > 0) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    const policy = values.policy;
    if (policy !== undefined && !(POLICY_NAMES as readonly string[]).includes(policy))
      throw new UsageError(
        `--policy: expected one of ${POLICY_NAMES.join(', ')}, found ${JSON.stringify(policy)}`,
      );
    const port = values.port === undefined ? undefined : numberFlag(values.port, '--port', 0);
    const running = await startGatewayServer({
      configFile: values.config ?? 'orchestra.yaml',
      ...(port === undefined ? {} : { port }),
      ...(values.host === undefined ? {} : { host: values.host }),
      ...(policy === undefined ? {} : { policy }),
      log: io.err,
    });
    io.out(`orchestra gateway on ${running.url} (policy ${running.fleet.scheduler.policy})`);
    io.out(`dashboard: ${running.url}/ui`);
    for (const w of running.warnings) io.err(`warning: ${w}`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve();
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    await running.close();
    io.err('gateway stopped');
    return 0;
  },
};
