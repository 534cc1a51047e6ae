// A stable 32-bit seed from text, so replies and draws repeat for the same request.

/** 32-bit FNV-1a of a string */
export function hashText(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
