// Ids are injected like time so tests and simulations are reproducible.
export type IdGenerator = (prefix?: string) => string;

export function sequentialIds(start = 1): IdGenerator {
  let n = start;
  return (prefix = 'id') => `${prefix}_${(n++).toString(36).padStart(6, '0')}`;
}

export const randomIds: IdGenerator = (prefix = 'id') =>
  `${prefix}_${crypto.randomUUID().replaceAll('-', '')}`;
