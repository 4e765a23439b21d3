// The persistence measurements, in a worker as the runtime runs: bulk write, single-insert acknowledgement,
// compaction, and cold open (IndexedDB -> first query answered).

import { openIdbStore } from '../../src/adapters/idb-store.js';
import type { MemoryRecord } from '../../src/core/record.js';
import { SeededRandom } from '../../src/core/vectors/seeded-random.js';
import { gaussian } from '../../src/core/vectors/test-vectors.js';
import { VectorCollection } from '../../src/core/vectors/vector-collection.js';

export interface PersistenceRun {
  n: number;
  dims: number;
  index: 'flat' | 'hnsw';
  /** Of every write transaction; the runtime always uses 'strict', 'relaxed' is here to price it. */
  durability: 'strict' | 'relaxed';
}

export interface PersistenceResult {
  run: PersistenceRun;
  simd: boolean;
  bulkWriteMs: number;
  bulkVectorsOnlyMs: number;
  singleInsertMs: { p50: number; p95: number };
  /** Acknowledged and then applied to the in-memory index, as the runtime does for every write. */
  insertAndIndexMs: { p50: number; p95: number };
  buildMs: number;
  compactMs: number;
  coldOpen: { openStoreMs: number; loadMs: number; firstQueryMs: number; totalMs: number; kind: string; size: number };
  /** Reading the chunks alone, after the cold open (the browser may cache them by then). */
  chunkRead: { ms: number; megabytes: number };
  storedBytes: number;
}

/**
 * The two durabilities at the same moments, for a machine whose load changes under a run: two stores of `n`
 * records each, written batch by batch in turn, then `inserts` single inserts into each, in turn.
 */
export interface InterleavedRun {
  interleaved: true;
  n: number;
  dims: number;
  inserts: number;
}

interface Spread {
  p50: number;
  p95: number;
  mean: number;
}

export interface InterleavedResult {
  run: InterleavedRun;
  strict: { bulkWriteMs: number; singleInsertMs: Spread };
  relaxed: { bulkWriteMs: number; singleInsertMs: Spread };
}

const MODEL = 'bench';

function vectors(n: number, dims: number, seed: number): Float32Array[] {
  const random = new SeededRandom(seed);
  const centres = Array.from({ length: 100 }, () => Float32Array.from({ length: dims }, () => gaussian(random)));
  return Array.from({ length: n }, () => {
    const c = centres[Math.floor(random.next() * 100) % 100]!;
    return Float32Array.from({ length: dims }, (_, j) => c[j]! + gaussian(random));
  });
}

function record(id: string): MemoryRecord {
  const now = Date.now();
  return {
    id,
    namespace: 'bench',
    tier: 'episodic',
    text: `memory ${id}`,
    createdAt: now,
    eventAt: now,
    updatedAt: now,
    importance: 0.5,
    strength: 86_400_000,
    accessCount: 0,
    tags: [],
    meta: {},
    source: { kind: 'user' },
    sourceIds: [],
    embedding: { model: MODEL, dims: 0 },
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;

async function measure(run: PersistenceRun): Promise<PersistenceResult> {
  const namespace = `bench-${run.index}-${run.n}-${run.durability}-${Date.now()}`;
  const open = (name: string) => openIdbStore({ namespace: name, broadcast: false, durability: run.durability });
  const options = { model: MODEL, dims: run.dims, hnswThreshold: run.index === 'hnsw' ? 1 : Infinity, compactAfter: Infinity };
  const data = vectors(run.n, run.dims, 1);
  let store = await open(namespace);
  const collection = await VectorCollection.open(store, options);

  // Bulk: the runtime's own write path (records plus logged vectors), in batches of 5,000.
  let started = performance.now();
  for (let i = 0; i < run.n; i += 5000) {
    const ids = data.slice(i, i + 5000).map((_, j) => `v${i + j}`);
    await store.put(
      ids.map(record),
      ids.map((id, j) => ({ id, model: MODEL, vector: data[i + j]! })),
    );
  }
  const bulkWriteMs = performance.now() - started;

  // The same vectors without their records, in a database of their own: the cost of the vectors alone.
  const vectorsOnly = await open(`${namespace}-vectors`);
  started = performance.now();
  for (let i = 0; i < run.n; i += 5000) {
    await vectorsOnly.put(
      [],
      data.slice(i, i + 5000).map((vector, j) => ({ id: `v${i + j}`, model: MODEL, vector })),
    );
  }
  const bulkVectorsOnlyMs = performance.now() - started;
  await vectorsOnly.close();

  // Build the index from the log (HNSW: synchronously here, to time it), then fold into chunks and a snapshot.
  started = performance.now();
  await collection.catchUp(store);
  collection.promoteStep(() => false);
  const buildMs = performance.now() - started;
  started = performance.now();
  await collection.compact(store);
  const compactMs = performance.now() - started;

  // Single inserts, acknowledged one by one, on a store that already holds n.
  const extra = vectors(200, run.dims, 2);
  const times: number[] = [];
  for (let i = 0; i < extra.length; i++) {
    const t = performance.now();
    await store.put([record(`x${i}`)], [{ id: `x${i}`, model: MODEL, vector: extra[i]! }]);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  const indexed: number[] = [];
  const more = vectors(200, run.dims, 4);
  await collection.catchUp(store);
  for (let i = 0; i < more.length; i++) {
    const t = performance.now();
    await store.put([record(`y${i}`)], [{ id: `y${i}`, model: MODEL, vector: more[i]! }]);
    await collection.catchUp(store);
    indexed.push(performance.now() - t);
  }
  indexed.sort((a, b) => a - b);
  // Fold those inserts too, so the cold open below measures loading, not replaying a log (see insertAndIndexMs).
  await collection.catchUp(store);
  await collection.compact(store);
  const estimate = await navigator.storage.estimate();
  await store.close();

  // Cold open: nothing in memory; open the database, load chunks + snapshot + log, answer one query.
  const query = vectors(1, run.dims, 3)[0]!;
  const t0 = performance.now();
  store = await open(namespace);
  const t1 = performance.now();
  const reopened = await VectorCollection.open(store, options);
  const t2 = performance.now();
  reopened.search(query, 10);
  const t3 = performance.now();
  const t4 = performance.now();
  let bytes = 0;
  for await (const chunk of store.readVectorChunks(MODEL)) bytes += chunk.data.byteLength;
  const chunkRead = { ms: performance.now() - t4, megabytes: bytes / 1e6 };
  await store.close();
  return {
    run,
    simd: reopened.simd,
    bulkWriteMs,
    bulkVectorsOnlyMs,
    singleInsertMs: { p50: percentile(times, 0.5), p95: percentile(times, 0.95) },
    insertAndIndexMs: { p50: percentile(indexed, 0.5), p95: percentile(indexed, 0.95) },
    buildMs,
    compactMs,
    coldOpen: {
      openStoreMs: t1 - t0,
      loadMs: t2 - t1,
      firstQueryMs: t3 - t2,
      totalMs: t3 - t0,
      kind: reopened.kind,
      size: reopened.size,
    },
    chunkRead,
    storedBytes: estimate.usage ?? 0,
  };
}

const spread = (times: number[]): Spread => {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), mean: times.reduce((a, b) => a + b, 0) / times.length };
};

async function interleave(run: InterleavedRun): Promise<InterleavedResult> {
  const kinds = ['strict', 'relaxed'] as const;
  const stamp = Date.now();
  const stores = await Promise.all(
    kinds.map((durability) =>
      openIdbStore({ namespace: `bench-interleaved-${durability}-${stamp}`, broadcast: false, durability }),
    ),
  );
  const bulk = [0, 0];
  const data = vectors(run.n, run.dims, 1);
  for (let i = 0; i < run.n; i += 5000) {
    const ids = data.slice(i, i + 5000).map((_, j) => `v${i + j}`);
    // Which store goes first alternates, so neither always follows the other's flush.
    for (const k of i % 10000 === 0 ? [0, 1] : [1, 0]) {
      const started = performance.now();
      await stores[k]!.put(
        ids.map(record),
        ids.map((id, j) => ({ id, model: MODEL, vector: data[i + j]! })),
      );
      bulk[k]! += performance.now() - started;
    }
  }
  const times: number[][] = [[], []];
  const extra = vectors(run.inserts, run.dims, 2);
  for (let i = 0; i < run.inserts; i++) {
    for (const k of i % 2 === 0 ? [0, 1] : [1, 0]) {
      const started = performance.now();
      await stores[k]!.put([record(`x${i}`)], [{ id: `x${i}`, model: MODEL, vector: extra[i]! }]);
      times[k]!.push(performance.now() - started);
    }
  }
  await Promise.all(stores.map((store) => store.close()));
  return {
    run,
    strict: { bulkWriteMs: bulk[0]!, singleInsertMs: spread(times[0]!) },
    relaxed: { bulkWriteMs: bulk[1]!, singleInsertMs: spread(times[1]!) },
  };
}

self.onmessage = (event: MessageEvent<PersistenceRun | InterleavedRun>) => {
  const run = event.data;
  ('interleaved' in run ? interleave(run) : measure(run)).then(
    (result) => postMessage({ result }),
    (error: unknown) => postMessage({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }),
  );
};
