// An in-memory RecordStore: for tests, Node, and pages that want no persistence.

import type {
  IndexSnapshot,
  ListQuery,
  RecordStore,
  VectorChunk,
  VectorCompaction,
  VectorLogEntry,
  VectorWrite,
} from '../core/ports.js';
import type { MemoryRecord } from '../core/record.js';
import { packVectorWrites } from '../core/vectors/vector-log.js';
import { compareByCreation } from './list-order.js';

export class InMemoryStore implements RecordStore {
  // Copies in and out, as a real store would: a caller mutating a record must not change what is stored.
  private readonly records = new Map<string, MemoryRecord>();
  private readonly chunks = new Map<string, Map<number, VectorChunk>>();
  private readonly snapshots = new Map<string, IndexSnapshot>();
  private log: VectorLogEntry[] = [];
  private nextSeq = 1;
  private foldedThroughSeq = 0;

  async put(records: readonly MemoryRecord[], vectors: readonly VectorWrite[] = []): Promise<void> {
    const copies = records.map((record) => structuredClone(record));
    const packed = packVectorWrites(vectors);
    for (const copy of copies) this.records.set(copy.id, copy);
    for (const group of packed) this.log.push({ seq: this.nextSeq++, kind: 'put', ...group });
  }

  async get(id: string): Promise<MemoryRecord | undefined> {
    const record = this.records.get(id);
    return record && structuredClone(record);
  }

  async getMany(ids: readonly string[]): Promise<(MemoryRecord | undefined)[]> {
    return Promise.all(ids.map((id) => this.get(id)));
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    const deleted = [...new Set(ids)].filter((id) => this.records.delete(id));
    if (deleted.length > 0) this.log.push({ seq: this.nextSeq++, kind: 'delete', ids: deleted });
    return deleted;
  }

  async list(query: ListQuery): Promise<MemoryRecord[]> {
    const offset = query.offset ?? 0;
    return [...this.records.values()]
      .filter(
        (r) =>
          (query.tier === undefined || r.tier === query.tier) &&
          (query.sessionId === undefined || r.sessionId === query.sessionId),
      )
      .sort((a, b) => (query.order === 'asc' ? compareByCreation(a, b) : compareByCreation(b, a)))
      .slice(offset, offset + query.limit)
      .map((record) => structuredClone(record));
  }

  async *scan(batchSize: number): AsyncIterable<MemoryRecord[]> {
    const all = [...this.records.values()];
    for (let i = 0; i < all.length; i += batchSize) yield all.slice(i, i + batchSize).map((r) => structuredClone(r));
  }

  async count(): Promise<number> {
    return this.records.size;
  }

  async *readVectorChunks(model: string): AsyncIterable<VectorChunk> {
    const chunks = this.chunks.get(model) ?? new Map<number, VectorChunk>();
    for (const chunk of [...chunks.keys()].sort((a, b) => a - b)) yield structuredClone(chunks.get(chunk)!);
  }

  async readVectorLog(afterSeq: number): Promise<{ entries: VectorLogEntry[]; foldedThroughSeq: number }> {
    return { entries: structuredClone(this.log.filter((e) => e.seq > afterSeq)), foldedThroughSeq: this.foldedThroughSeq };
  }

  async readIndexSnapshot(name: string): Promise<IndexSnapshot | undefined> {
    const snapshot = this.snapshots.get(name);
    return snapshot && structuredClone(snapshot);
  }

  async compactVectors(compaction: VectorCompaction): Promise<boolean> {
    if (compaction.previousThroughSeq !== this.foldedThroughSeq) return false;
    const copy = structuredClone(compaction);
    const chunks = this.chunks.get(copy.model) ?? new Map<number, VectorChunk>();
    this.chunks.set(copy.model, chunks);
    for (const chunk of copy.chunks) chunks.set(chunk.chunk, chunk);
    for (const chunk of copy.removeChunks) chunks.delete(chunk);
    this.log = this.log.filter((e) => e.seq > copy.throughSeq);
    this.foldedThroughSeq = Math.max(this.foldedThroughSeq, copy.throughSeq);
    if (copy.snapshot) this.snapshots.set(copy.snapshot.name, copy.snapshot);
    return true;
  }

  async close(): Promise<void> {}
}
