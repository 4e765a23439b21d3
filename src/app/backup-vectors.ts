// Reads record vectors out of a Mnemo backup (JSON Lines: a header, then `{ record, vector }` with the vector as
// little-endian float32 in base64), for the embedding map. The app uses only the public export.

import type { MemoryRecord } from 'mnemo';

export interface RecordVector {
  record: MemoryRecord;
  vector: Float32Array;
}

function decodeVector(base64: string): Float32Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const out = new Float32Array(bytes.length / 4);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(i * 4, true);
  return out;
}

/** The `limit` newest records that carry a vector, newest first. */
export function vectorsOf(jsonl: string, limit: number): RecordVector[] {
  const entries: RecordVector[] = [];
  for (const line of jsonl.split('\n').slice(1)) {
    if (!line) continue;
    const entry = JSON.parse(line) as { record: MemoryRecord; vector?: string };
    if (entry.vector && entry.record.tier !== 'working')
      entries.push({ record: entry.record, vector: decodeVector(entry.vector) });
  }
  entries.sort((a, b) => b.record.createdAt - a.record.createdAt);
  return entries.slice(0, limit);
}
