// What differs between the APIs on the chat path: parsing the wire body into a core request,
// rendering a folded result, and framing a stream. The chat handler does the rest once for all.
import type { ChatEvent, ChatRequest, ChatResult, RequestMeta } from '../core/chat.ts';
import type { AppError } from '../core/errors/index.ts';
import type { ApiFace } from './api-face.ts';

export interface StreamIds {
  id: string;
  /** the name the client asked for (alias), echoed back as the response's model */
  model: string;
  /** Unix seconds */
  created: number;
  /** estimated prompt tokens */
  inputTokens: number;
}

export interface StreamFramer {
  /** bytes-to-be for one event ('' when nothing is sent) */
  encode(event: ChatEvent): string;
  /** a keep-alive while the model is queued or loading */
  keepAlive(): string;
  /** an error after the stream began */
  error(error: AppError): string;
}

export interface FaceAdapter {
  face: ApiFace;
  contentType: string;
  toCore(body: unknown, meta: RequestMeta): ChatRequest;
  framer(ids: StreamIds, body: unknown): StreamFramer;
  render(result: ChatResult, ids: StreamIds): unknown;
}
