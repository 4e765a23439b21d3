// An in-memory RecordStore: for tests, Node, and pages that want no persistence.

import type { ListQuery, RecordStore } from '../core/ports.js';
import type { MemoryRecord } from '../core/record.js';
import { compareByCreation } from './list-order.js';

export class InMemoryStore implements RecordStore {
  // Copies in and out, as a real store would: a caller mutating a record must not change what is stored.
  private readonly records = new Map<string, MemoryRecord>();

  async put(records: readonly MemoryRecord[]): Promise<void> {
    const copies = records.map((record) => structuredClone(record));
    for (const copy of copies) this.records.set(copy.id, copy);
  }

  async get(id: string): Promise<MemoryRecord | undefined> {
    const record = this.records.get(id);
    return record && structuredClone(record);
  }

  async getMany(ids: readonly string[]): Promise<(MemoryRecord | undefined)[]> {
    return Promise.all(ids.map((id) => this.get(id)));
  }

  async delete(ids: readonly string[]): Promise<string[]> {
    return [...new Set(ids)].filter((id) => this.records.delete(id));
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

  async close(): Promise<void> {}
}
