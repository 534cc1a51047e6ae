// The gateway's Ollama face over the translators in src/translate/ollama: /api/chat and
// /api/generate bodies in, NDJSON chunks (or one body) out.
import type { IdGenerator } from '../lib/ids.ts';
import { OllamaChatRequestSchema, OllamaGenerateRequestSchema } from '../protocol/ollama/index.ts';
import {
  createOllamaChunkEncoder,
  createOllamaGenerateEncoder,
  fromOllamaChatRequest,
  fromOllamaGenerateRequest,
  resultToOllamaGenerateResponse,
  resultToOllamaResponse,
} from '../translate/ollama/index.ts';
import { checkToolSchema } from '../translate/shared/tool-schema.ts';
import { parseWire } from '../translate/shared/parse-wire.ts';
import type { ChatEvent } from '../core/chat.ts';
import type { FaceAdapter, StreamFramer } from './face-adapter.ts';
import { ndjsonLine as line } from '../lib/ndjson.ts';

export function ollamaAdapter(ids: IdGenerator, now: () => number): FaceAdapter {
  return {
    face: 'ollama',
    contentType: 'application/x-ndjson',
    toCore(body, meta) {
      const wire = parseWire(OllamaChatRequestSchema, body, 'body');
      // Ollama's wire schema takes any object as parameters; a non-object schema is the client's error
      wire.tools?.forEach((t, i) => {
        if (t.function.parameters)
          checkToolSchema(t.function.parameters, `tools[${i}].function.parameters`, t.function.name);
      });
      return fromOllamaChatRequest(wire, meta, ids).request;
    },
    framer: (s) => ndjsonFramer(createOllamaChunkEncoder({ model: s.model, now })),
    render: (result, s) => resultToOllamaResponse(result, { model: s.model, now }),
  };
}

/** /api/generate: a prompt (and system prompt) in, `response` chunks out */
export function ollamaGenerateAdapter(now: () => number): FaceAdapter {
  return {
    face: 'ollama',
    contentType: 'application/x-ndjson',
    toCore: (body, meta) =>
      fromOllamaGenerateRequest(parseWire(OllamaGenerateRequestSchema, body, 'body'), meta),
    framer: (s) => ndjsonFramer(createOllamaGenerateEncoder({ model: s.model, now })),
    render: (result, s) => resultToOllamaGenerateResponse(result, { model: s.model, now }),
  };
}

/** an encoder's chunks as NDJSON lines; an error after the stream began is an {error} line */
function ndjsonFramer(enc: { push(e: ChatEvent): object[] }): StreamFramer {
  return {
    encode: (e) => enc.push(e).map(line).join(''),
    // NDJSON has no comment line; Ollama clients wait on the open connection
    keepAlive: () => '',
    error: (err) => line({ error: err.message }),
  };
}
