// The one order `list` returns records in, shared by every store so their answers agree.

import type { MemoryRecord } from '../core/record.js';

/** By creation time, ties broken by id (as IndexedDB orders an index by key, then primary key). */
export function compareByCreation(a: MemoryRecord, b: MemoryRecord): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
