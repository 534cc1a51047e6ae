import { createHash } from 'node:crypto';
import type { ContentHash } from './tool-types.ts';

export function contentHash(bytes: Uint8Array | string | undefined): ContentHash {
  return bytes === undefined ? null : createHash('sha256').update(bytes).digest('hex');
}
