// Test support: every row of every object store of a database, searched for a canary string and a canary
// vector's float32 bytes (the right-to-be-forgotten tests, in Node and in Chromium).

import { openDB } from 'idb';

export interface CanaryFinding {
  store: string;
  /** Where in the row: a dotted path. */
  path: string;
  kind: 'text' | 'vector';
}

/** The little-endian float32 bytes of `vector`, as IndexedDB and the backup format hold them. */
export function float32Bytes(vector: Float32Array): Uint8Array {
  const bytes = new Uint8Array(vector.length * 4);
  const view = new DataView(bytes.buffer);
  vector.forEach((x, i) => view.setFloat32(i * 4, x, true));
  return bytes;
}

/** Every place in database `name` holding `text` or the first `probeFloats` floats of `vector`, byte for byte. */
export async function scanDatabase(name: string, text: string, vector: Float32Array, probeFloats = 8): Promise<CanaryFinding[]> {
  const db = await openDB(name);
  try {
    const findings: CanaryFinding[] = [];
    const probe = float32Bytes(vector.subarray(0, probeFloats));
    for (const store of [...db.objectStoreNames]) {
      const rows = await db.getAll(store);
      rows.forEach((row, i) => scanValue(row, `${i}`, text, probe, (path, kind) => findings.push({ store, path, kind })));
    }
    return findings;
  } finally {
    db.close();
  }
}

/** Searches any value: strings for the text, typed arrays (and buffers) for the bytes, recursively. */
export function scanValue(
  value: unknown,
  path: string,
  text: string,
  probe: Uint8Array,
  found: (path: string, kind: 'text' | 'vector') => void,
  seen = new Set<unknown>(),
): void {
  if (typeof value === 'string') {
    if (value.includes(text)) found(path, 'text');
    return;
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) {
    const bytes =
      value instanceof ArrayBuffer ? new Uint8Array(value) : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
    if (indexOfBytes(bytes, probe) >= 0) found(path, 'vector');
    return;
  }
  for (const [key, child] of Object.entries(value)) scanValue(child, `${path}.${key}`, text, probe, found, seen);
}

export function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  if (needle.length === 0) return 0;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
