// The dashboard's frontend: plain ES modules, CSS and HTML under ui/, read once into memory when the
// dashboard is mounted (no build step, no disk read per request), each served with its type and an
// ETag.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';

export interface Asset {
  body: Uint8Array;
  type: string;
  etag: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export const UI_DIR = join(import.meta.dirname, 'ui');

/** path relative to ui/ (posix separators) -> asset */
export function loadAssets(dir: string = UI_DIR): Map<string, Asset> {
  const out = new Map<string, Asset>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (TYPES[extname(name)] !== undefined) {
        const body = readFileSync(p);
        out.set(relative(dir, p).split('\\').join('/'), {
          body,
          type: TYPES[extname(name)]!,
          etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"`,
        });
      }
    }
  };
  walk(dir);
  if (!out.has('index.html')) throw new Error(`the dashboard's index.html is missing from ${dir}`);
  return out;
}
