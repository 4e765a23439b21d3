// FNV-1a: a fast 32-bit string hash, the same in every runtime. Used where a stable bucket or split of a text is
// needed (the hash embedder's features, the injection classifier's features), never for security.

/** FNV-1a over the UTF-16 code units of `text` from `start` to `end`. */
export function fnv1a(text: string, start = 0, end = text.length): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
