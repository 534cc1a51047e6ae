// Model lists and details, never a model call: GET /v1/models and /v1/models/{id} (OpenAI; aliases
// and fleet models), GET /api/tags, /api/ps, /api/version and POST /api/show (Ollama), POST
// /v1/messages/count_tokens (Anthropic; an estimate).
import type { Hono } from 'hono';
import { AppError, toAppError } from '../../core/errors/index.ts';
import type { ModelConfig } from '../../config/index.ts';
import { OLLAMA_API_VERSION, OllamaShowRequestSchema } from '../../protocol/ollama/index.ts';
import { anthropicCountTokens } from '../../translate/anthropic/anthropic-count-tokens.ts';
import { publicModelNames, publicNameOf, resolveChain } from '../alias-chain.ts';
import { errorResponse, type ApiFace } from '../api-face.ts';
import { assertMayUse, presentedKey, type Principal } from '../authenticator.ts';
import type { GatewayServices } from '../gateway-services.ts';
import { readJsonBody } from '../read-json-body.ts';
import { metaFromHeaders } from '../request-meta.ts';

const GIB = 1024 ** 3;

/** the caller, or the error response to send */
async function authed(s: GatewayServices, req: Request, face: ApiFace): Promise<Principal | Response> {
  try {
    return await s.auth.authenticate(presentedKey((n) => req.headers.get(n) ?? undefined));
  } catch (e) {
    return errorResponse(face, toAppError(e));
  }
}

/** the public names a caller may use: a key limited to some aliases sees only those */
const visibleNames = (s: GatewayServices, p: Principal): string[] =>
  publicModelNames(s.fleet).filter((n) => !p.aliases || p.aliases.includes(n));

export function modelRoutes(app: Hono, s: GatewayServices): void {
  const created = Math.floor(s.clock.now() / 1000);
  app.get('/v1/models', async (c) => {
    const who = await authed(s, c.req.raw, 'openai');
    if (who instanceof Response) return who;
    const data = visibleNames(s, who).map((id) => ({
      id,
      object: 'model',
      created,
      owned_by: 'orchestra',
    }));
    return c.json({ object: 'list', data });
  });

  app.get('/v1/models/:id{.+}', async (c) => {
    const who = await authed(s, c.req.raw, 'openai');
    if (who instanceof Response) return who;
    const id = publicNameOf(s.fleet, decodeURIComponent(c.req.param('id')));
    if (!visibleNames(s, who).includes(id))
      return errorResponse(
        'openai',
        new AppError('model_not_found', `unknown model ${JSON.stringify(id)} (GET /v1/models lists them)`),
      );
    return c.json({ id, object: 'model', created, owned_by: 'orchestra' });
  });

  app.post('/v1/messages/count_tokens', async (c) => {
    const who = await authed(s, c.req.raw, 'anthropic');
    if (who instanceof Response) return who;
    try {
      const body = await readJsonBody(c.req.raw, s.fleet.gateway.bodyLimitBytes);
      const meta = metaFromHeaders((n) => c.req.header(n), s.ids('req'), undefined);
      const { model, response } = anthropicCountTokens(body, meta);
      // as /v1/messages: an unknown model is a 404, one the key may not use a 403
      const name = publicNameOf(s.fleet, model);
      assertMayUse(who, name);
      resolveChain(s.fleet, name);
      return c.json(response);
    } catch (e) {
      return errorResponse('anthropic', toAppError(e));
    }
  });

  app.get('/api/tags', async (c) => {
    const who = await authed(s, c.req.raw, 'ollama');
    if (who instanceof Response) return who;
    const models = visibleNames(s, who).map((name) => {
      const m = s.fleet.models.find((x) => x.name === name);
      return {
        name,
        model: name,
        modified_at: new Date(created * 1000).toISOString(),
        size: Math.round((m?.memoryGiB ?? 0) * GIB),
        digest: m?.weights ?? name,
        details: { family: s.fleet.aliases[name] ? 'alias' : 'model' },
      };
    });
    return c.json({ models });
  });

  app.get('/api/version', (c) => c.json({ version: OLLAMA_API_VERSION }));

  app.post('/api/show', async (c) => {
    const who = await authed(s, c.req.raw, 'ollama');
    if (who instanceof Response) return who;
    try {
      const body = parseOllamaShow(await readJsonBody(c.req.raw, s.fleet.gateway.bodyLimitBytes));
      const name = publicNameOf(s.fleet, body.model ?? body.name ?? '');
      if (!visibleNames(s, who).includes(name))
        throw new AppError(
          'model_not_found',
          `unknown model ${JSON.stringify(name)} (GET /api/tags lists them)`,
        );
      return c.json(showOf(name, resolveChain(s.fleet, name), created));
    } catch (e) {
      return errorResponse('ollama', toAppError(e));
    }
  });

  app.get('/api/ps', async (c) => {
    const who = await authed(s, c.req.raw, 'ollama');
    if (who instanceof Response) return who;
    const snap = s.scheduler.snapshot();
    const models = snap.servers.flatMap((srv) =>
      srv.resident.map((name) => {
        const m = s.fleet.models.find((x) => x.name === name);
        const size = Math.round((m?.memoryGiB ?? 0) * GIB);
        return {
          name,
          model: name,
          size,
          size_vram: size,
          digest: m?.weights ?? name,
          context_length: m?.contextTokens,
          server: srv.name,
        };
      }),
    );
    return c.json({ models });
  });
}

function parseOllamaShow(body: unknown): { model?: string | undefined; name?: string | undefined } {
  const r = OllamaShowRequestSchema.safeParse(body);
  if (!r.success) throw new AppError('bad_request', 'expected a model name in "model"', { path: 'model' });
  return r.data;
}

/**
 * /api/show for a public name: what a client sizes its prompts by. The context is the largest of
 * the chain's, since a prompt too long for the first model goes to the next one that fits.
 */
function showOf(name: string, chain: readonly ModelConfig[], created: number) {
  const context = Math.max(...chain.map((m) => m.contextTokens));
  const first = chain[0];
  return {
    modelfile: `# served by orchestra: ${name} -> ${chain.map((m) => m.name).join(', ')}\nPARAMETER num_ctx ${context}\n`,
    parameters: `num_ctx ${context}`,
    template: '{{ .Prompt }}',
    details: {
      parent_model: '',
      format: 'gguf',
      family: 'orchestra',
      families: ['orchestra'],
      parameter_size: first?.paramsB !== undefined ? `${first.paramsB}B` : '',
      quantization_level: '',
    },
    model_info: { 'general.architecture': 'orchestra', 'orchestra.context_length': context },
    // tools need Ollama's native tool calls on every model of the chain (toolProtocol "prompt" is not built)
    capabilities: chain.every((m) => m.toolProtocol === 'native') ? ['completion', 'tools'] : ['completion'],
    modified_at: new Date(created * 1000).toISOString(),
  };
}
