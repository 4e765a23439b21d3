// How each kind of row is sealed and opened: records, vectors (in the log), vector chunks, index snapshots.
// Each value is AES-GCM-sealed with its own random IV and its key (id, model, chunk, name) as additional data,
// so a sealed value moved to another row fails to open.

import type { IndexSnapshot, VectorChunk, VectorLogEntry } from '../core/ports.js';
import type { MemoryRecord } from '../core/record.js';
import type { StoredLogEntry } from './idb-schema.js';
import { SEAL_OVERHEAD, openBytes, sealBytes, type DataKeys } from './key-vault.js';

/**
 * A record as stored: only what the store's key and indexes need stays readable. `createdAt` is clear because
 * `list` walks the indexes in creation order; `tier` and `sessionId` are replaced by keyed tags (HMAC), which
 * keep the equality lookups of those indexes working without telling what the values are.
 */
export interface SealedRecordRow {
  id: string;
  tier: string;
  createdAt: number;
  sessionId?: string;
  sealed: Uint8Array;
}

export interface SealedChunkRow {
  model: string;
  chunk: number;
  dims: number;
  /** Record ids are keys elsewhere already (the records store), so they stay clear here too. */
  ids: (string | null)[];
  sealed: Uint8Array;
}

export interface SealedSnapshotRow {
  name: string;
  model: string;
  throughSeq: number;
  sealed: Uint8Array;
}

/**
 * What an unreadable record becomes: the fields the row still shows, and `unreadable`, a key no record has, so
 * the core's record validation refuses it and quarantines the row (which stays as it is, sealed).
 */
export interface UnreadableRecord {
  id: string;
  createdAt: number;
  unreadable: string;
}

/** Floats a vector of `dims` takes once sealed into the log (the IV and tag add 28 bytes: 7 floats). */
export const sealedVectorLength = (dims: number) => dims + SEAL_OVERHEAD / 4;

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const context = (...parts: (string | number)[]) => encoder.encode(['mnemo/v1', ...parts].join('\u0000'));

/** The stand-in for a tier or a session id in the indexes: 128 bits of HMAC-SHA256, hex. */
export async function indexTag(keys: DataKeys, field: 'tier' | 'session', value: string): Promise<string> {
  const mac = await crypto.subtle.sign('HMAC', keys.tagger, encoder.encode(`${field}\u0000${value}`));
  return [...new Uint8Array(mac, 0, 16)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

export async function sealRecord(keys: DataKeys, record: MemoryRecord): Promise<SealedRecordRow> {
  const [tier, sessionId, sealed] = await Promise.all([
    indexTag(keys, 'tier', record.tier),
    record.sessionId === undefined ? undefined : indexTag(keys, 'session', record.sessionId),
    sealBytes(keys.cipher, encoder.encode(JSON.stringify(record)), context('record', record.id)),
  ]);
  return { id: record.id, tier, createdAt: record.createdAt, ...(sessionId !== undefined && { sessionId }), sealed };
}

export function isSealedRecord(row: unknown): row is SealedRecordRow {
  return typeof row === 'object' && row !== null && (row as { sealed?: unknown }).sealed instanceof Uint8Array;
}

/** The record, or an `UnreadableRecord` when the row is not sealed under this key or was altered. */
export async function openRecord(keys: DataKeys, row: unknown): Promise<MemoryRecord | UnreadableRecord> {
  const id =
    typeof row === 'object' && row !== null && typeof (row as { id?: unknown }).id === 'string' ? (row as { id: string }).id : '';
  const createdAt = Number((row as { createdAt?: unknown } | null)?.createdAt ?? 0);
  const unreadable = (reason: string): UnreadableRecord => ({ id, createdAt, unreadable: reason });
  if (!isSealedRecord(row)) return unreadable('not encrypted in an encrypted namespace');
  let plain: Uint8Array;
  try {
    plain = await openBytes(keys.cipher, row.sealed, context('record', id));
  } catch {
    return unreadable('failed to decrypt (altered, or sealed under another key or id)');
  }
  try {
    const record = JSON.parse(decoder.decode(plain)) as MemoryRecord;
    return record.id === id ? record : unreadable('decrypted to another id');
  } catch {
    return unreadable('decrypted to malformed JSON');
  }
}

/** A vector sealed into the float array the log stores: IV, ciphertext and tag, bit for bit (dims + 7 floats). */
export async function sealVector(keys: DataKeys, model: string, id: string, vector: Float32Array): Promise<Float32Array> {
  const plain = new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
  const sealed = await sealBytes(keys.cipher, plain, context('vector', model, id));
  return new Float32Array(sealed.buffer, sealed.byteOffset, sealed.byteLength / 4);
}

/** Opens a put entry of the log; a vector that fails to open comes back as NaNs, which vector loading rejects. */
export async function openLogEntry(keys: DataKeys, entry: VectorLogEntry): Promise<VectorLogEntry> {
  if (entry.kind !== 'put' || entry.ids.length === 0) return entry;
  const stride = entry.vectors.length / entry.ids.length;
  const dims = stride - SEAL_OVERHEAD / 4;
  const out = new Float32Array(entry.ids.length * Math.max(dims, 0));
  if (!Number.isInteger(stride) || dims <= 0) return { ...entry, vectors: out.fill(NaN) };
  await Promise.all(
    entry.ids.map(async (id, i) => {
      const sealed = new Uint8Array(entry.vectors.buffer, entry.vectors.byteOffset + i * stride * 4, stride * 4);
      try {
        const plain = await openBytes(keys.cipher, sealed, context('vector', entry.model, id));
        out.set(new Float32Array(plain.buffer, plain.byteOffset, dims), i * dims);
      } catch {
        out.fill(NaN, i * dims, (i + 1) * dims);
      }
    }),
  );
  return { ...entry, vectors: out };
}

/** Seals a plaintext put entry as read raw from the log (turning encryption on for existing data). */
export async function sealLogEntry<E extends StoredLogEntry>(keys: DataKeys, entry: E): Promise<E> {
  if (entry.kind !== 'put' || entry.ids.length === 0) return entry;
  const { model, vectors } = entry;
  const dims = vectors.length / entry.ids.length;
  const out = new Float32Array(entry.ids.length * sealedVectorLength(dims));
  await Promise.all(
    entry.ids.map(async (id, i) => {
      const sealed = await sealVector(keys, model, id, vectors.subarray(i * dims, (i + 1) * dims));
      out.set(sealed, i * sealedVectorLength(dims));
    }),
  );
  return { ...entry, vectors: out };
}

/**
 * A row already in the quarantine when encryption is turned on: kept for inspection, so sealed like the rest.
 * It is unreadable by definition, so it is sealed as JSON with typed arrays as plain arrays and BigInts as text.
 */
export async function sealQuarantined(keys: DataKeys, id: string, row: unknown): Promise<{ sealed: Uint8Array }> {
  const json = JSON.stringify(row, (_key, value: unknown) =>
    typeof value === 'bigint' ? value.toString() : ArrayBuffer.isView(value) ? Array.from(value as Uint8Array) : value,
  );
  return { sealed: await sealBytes(keys.cipher, encoder.encode(json ?? 'null'), context('quarantine', id)) };
}

const chunkContext = (c: { model: string; chunk: number; dims: number; ids: (string | null)[] }) =>
  context('chunk', c.model, c.chunk, c.dims, JSON.stringify(c.ids));

export async function sealChunk(keys: DataKeys, chunk: VectorChunk): Promise<SealedChunkRow> {
  const plain = new Uint8Array(chunk.data.buffer, chunk.data.byteOffset, chunk.data.byteLength);
  const sealed = await sealBytes(keys.cipher, plain, chunkContext(chunk));
  return { model: chunk.model, chunk: chunk.chunk, dims: chunk.dims, ids: chunk.ids, sealed };
}

/** A chunk; one that fails to open keeps its ids with NaN vectors, which vector loading rejects. */
export async function openChunk(keys: DataKeys, row: VectorChunk | SealedChunkRow): Promise<VectorChunk> {
  const { model, chunk, dims, ids } = row;
  const sealed = (row as Partial<SealedChunkRow>).sealed;
  try {
    if (!(sealed instanceof Uint8Array)) throw new Error('not sealed');
    const plain = await openBytes(keys.cipher, sealed, chunkContext(row));
    return { model, chunk, dims, ids, data: new Float32Array(plain.buffer, plain.byteOffset, plain.byteLength / 4) };
  } catch {
    return { model, chunk, dims, ids, data: new Float32Array(ids.length * dims).fill(NaN) };
  }
}

const snapshotContext = (s: { name: string; model: string; throughSeq: number }) =>
  context('snapshot', s.name, s.model, s.throughSeq);

export async function sealSnapshot(keys: DataKeys, snapshot: IndexSnapshot): Promise<SealedSnapshotRow> {
  const sealed = await sealBytes(keys.cipher, snapshot.bytes, snapshotContext(snapshot));
  return { name: snapshot.name, model: snapshot.model, throughSeq: snapshot.throughSeq, sealed };
}

/** A snapshot, or undefined when it fails to open: it is derived data, rebuilt from the vectors. */
export async function openSnapshot(keys: DataKeys, row: IndexSnapshot | SealedSnapshotRow): Promise<IndexSnapshot | undefined> {
  const sealed = (row as Partial<SealedSnapshotRow>).sealed;
  if (!(sealed instanceof Uint8Array)) return undefined;
  try {
    const bytes = await openBytes(keys.cipher, sealed, snapshotContext(row));
    return { name: row.name, model: row.model, throughSeq: row.throughSeq, bytes };
  } catch {
    return undefined;
  }
}
