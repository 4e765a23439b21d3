import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { openIdbStore } from '../../adapters/idb-store.js';
import { InMemoryStore } from '../../adapters/memory-store.js';
import { sampleRecord } from '../../adapters/store-contract.js';
import type { RecordStore } from '../ports.js';
import type { HnswIndex } from './hnsw-index.js';
import { checkHnswIntegrity } from './hnsw-integrity.js';
import { clusteredVectors } from './test-vectors.js';
import { VectorCollection } from './vector-collection.js';

const DIMS = 24;
const MODEL = 'test-model';
let namespaces = 0;

async function write(store: RecordStore, vectors: Float32Array[], prefix: string, model = MODEL): Promise<string[]> {
  const records = vectors.map((_, i) => sampleRecord({ id: `${prefix}${i}` }));
  await store.put(
    records,
    vectors.map((vector, i) => ({ id: records[i]!.id, model, vector })),
  );
  return records.map((r) => r.id);
}

const stores: [string, () => Promise<RecordStore>][] = [
  ['in-memory store', async () => new InMemoryStore()],
  ['IndexedDB store (fake-indexeddb)', () => openIdbStore({ namespace: `collection-${++namespaces}`, broadcast: false })],
];

describe.each(stores)('VectorCollection on the %s', (_name, makeStore) => {
  it('follows the log, compacts into chunks, and reopens with the same answers', async () => {
    const store = await makeStore();
    const collection = await VectorCollection.open(store, { model: MODEL, dims: DIMS, compactAfter: 100 });
    const vectors = clusteredVectors(300, DIMS, 1);
    await write(store, vectors, 'a');
    await collection.catchUp(store);
    expect(collection.size).toBe(300);
    expect(collection.needsCompaction).toBe(true);
    await store.delete(['a0', 'a1', 'a299']);
    await collection.catchUp(store);
    await collection.compact(store);
    expect(collection.needsCompaction).toBe(false);
    expect((await store.readVectorLog(0)).entries).toEqual([]);

    const reopened = await VectorCollection.open(store, { model: MODEL, dims: DIMS });
    expect(reopened.size).toBe(297);
    for (const q of clusteredVectors(10, DIMS, 2)) expect(reopened.search(q, 5)).toEqual(collection.search(q, 5));
    expect(reopened.has('a0')).toBe(false);
  });

  it('keeps an acknowledged write that was never compacted (the log is replayed at open)', async () => {
    const store = await makeStore();
    const collection = await VectorCollection.open(store, { model: MODEL, dims: DIMS });
    await write(store, clusteredVectors(20, DIMS, 3), 'b');
    await collection.catchUp(store);
    await collection.compact(store);
    const [late] = await write(store, clusteredVectors(1, DIMS, 4), 'late');
    // No catch-up, no compaction: as if the page died right after the write was acknowledged.
    const reopened = await VectorCollection.open(store, { model: MODEL, dims: DIMS });
    expect(reopened.size).toBe(21);
    expect(reopened.search(clusteredVectors(1, DIMS, 4)[0]!, 1)[0]?.id).toBe(late);
  });

  it('promotes to HNSW past the threshold and reopens from the graph snapshot without a rebuild', async () => {
    const store = await makeStore();
    const options = { model: MODEL, dims: DIMS, hnswThreshold: 200, hnsw: { seed: 3 } };
    const collection = await VectorCollection.open(store, options);
    await write(store, clusteredVectors(150, DIMS, 5), 'c');
    await collection.catchUp(store);
    expect(collection.kind).toBe('flat');
    await collection.compact(store);
    await write(store, clusteredVectors(150, DIMS, 6), 'd');
    await collection.catchUp(store);
    // The HNSW index is built in slices while the flat one keeps answering.
    expect(collection.promoting).toBe(true);
    expect(collection.needsCompaction).toBe(false);
    let slices = 0;
    collection.promoteStep(() => ++slices >= 2);
    expect(collection.kind).toBe('flat');
    expect(collection.search(clusteredVectors(1, DIMS, 6)[0]!, 1)[0]?.id).toBe('d0');
    // Changes made during the build reach the graph too.
    await store.delete(['c5', 'd7']);
    const [late] = await write(store, clusteredVectors(1, DIMS, 77), 'late');
    await collection.catchUp(store);
    collection.promoteStep(() => false);
    expect(collection.promoting).toBe(false);
    expect(collection.kind).toBe('hnsw');
    expect(collection.has('c5')).toBe(false);
    expect(collection.search(clusteredVectors(1, DIMS, 77)[0]!, 1)[0]?.id).toBe(late);
    await store.delete([late!]);
    await collection.catchUp(store);
    await collection.compact(store);

    const reopened = await VectorCollection.open(store, options);
    expect(reopened.kind).toBe('hnsw');
    expect(reopened.size).toBe(298);
    for (const q of clusteredVectors(10, DIMS, 7)) expect(reopened.search(q, 10)).toEqual(collection.search(q, 10));
    const index = (reopened as unknown as { index: HnswIndex }).index;
    expect(checkHnswIntegrity(index).problems).toEqual([]);
  });

  it('leaves out a damaged vector in the log instead of failing on it', async () => {
    const store = await makeStore();
    const collection = await VectorCollection.open(store, { model: MODEL, dims: DIMS });
    const good = clusteredVectors(2, DIMS, 14);
    await write(store, [good[0]!, new Float32Array(DIMS).fill(Number.NaN), good[1]!], 'f');
    await collection.catchUp(store);
    expect(collection.size).toBe(2);
    expect(collection.skipped).toBe(1);
    expect(collection.has('f1')).toBe(false);
  });

  it('ignores vectors of another model and drops a record re-embedded with one', async () => {
    const store = await makeStore();
    const collection = await VectorCollection.open(store, { model: MODEL, dims: DIMS });
    await write(store, clusteredVectors(3, DIMS, 8), 'e');
    await write(store, clusteredVectors(2, 8, 9), 'e', 'other-model');
    await collection.catchUp(store);
    expect(collection.size).toBe(1);
    expect(collection.has('e2')).toBe(true);
  });
});

describe('VectorCollection in two tabs sharing one store', () => {
  it('a collection that another compacted past reloads, and its stale compaction is refused', async () => {
    const store = new InMemoryStore();
    const a = await VectorCollection.open(store, { model: MODEL, dims: DIMS });
    const b = await VectorCollection.open(store, { model: MODEL, dims: DIMS });
    await write(store, clusteredVectors(50, DIMS, 10), 'x');
    await a.catchUp(store);
    await a.compact(store);
    await write(store, clusteredVectors(5, DIMS, 11), 'y');
    // b saw nothing yet; the log it missed was folded by a.
    await b.catchUp(store);
    expect(b.size).toBe(55);
    // a compacts again; b's view of the fold is now stale, so its own compaction must not write.
    await a.catchUp(store);
    await a.compact(store);
    await write(store, clusteredVectors(1, DIMS, 12), 'z');
    await b.catchUp(store);
    await b.compact(store);
    const reopened = await VectorCollection.open(store, { model: MODEL, dims: DIMS });
    expect(reopened.size).toBe(56);
    for (const q of clusteredVectors(5, DIMS, 13)) expect(reopened.search(q, 5)).toEqual(b.search(q, 5));
  });
});
