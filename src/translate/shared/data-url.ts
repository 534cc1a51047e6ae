// data: URLs of images (OpenAI image_url). Only base64 data URLs carry an image we can pass on.
import { AppError } from '../../core/errors/index.ts';

export interface DecodedDataUrl {
  mediaType: string;
  /** base64, without the data: prefix */
  data: string;
}

const DATA_URL = /^data:([^;,]+)((?:;[^;,=]+=[^;,]*)*);base64,(.*)$/s;

/** Splits a base64 data: URL; throws bad_request (naming `path`) for anything else. */
export function decodeImageUrl(url: string, path: string): DecodedDataUrl {
  if (/^https?:\/\//i.test(url))
    throw new AppError(
      'bad_request',
      `${path}: image URLs are not fetched by the gateway; send the image inline as a base64 data: URL`,
      { path },
    );
  const m = DATA_URL.exec(url);
  if (!m || m[3] === undefined || m[1] === undefined)
    throw new AppError('bad_request', `${path}: expected a base64 data: URL (data:image/png;base64,...)`, {
      path,
    });
  return { mediaType: m[1].toLowerCase(), data: m[3] };
}

export function toDataUrl(mediaType: string, data: string): string {
  return `data:${mediaType};base64,${data}`;
}
