// @babycommando/entity-db 1.0.11: IndexedDB store + brute-force cosine. Its module calls transformers.js
// pipeline('feature-extraction', 'Xenova/all-MiniLM-L6-v2') at import time; we disable remote model loading first so
// that promise just fails (a 404 for /huggingface/..., logged as an unhandled rejection; the pipeline is never used), and use the vector paths insertManualVectors / queryManualVectors.
// queryManualVectors reads every record from IndexedDB on every query, so only the first `maxQueries` are timed.
import type { Adapter } from './types.ts';

export async function create(): Promise<Adapter> {
  const t = await import('@xenova/transformers');
  t.env.allowRemoteModels = false;
  const { EntityDB } = await import('@babycommando/entity-db');
  let db: InstanceType<typeof EntityDB> | null = null;
  return {
    name: 'entity-db',
    env: 'browser',
    kind: 'exact',
    maxQueries: 100,
    describeParams: () => 'insertManualVectors/queryManualVectors (IndexedDB getAll + JS cosine per query); 100 queries timed',
    async build(vectors, dims, n) {
      await new Promise<void>((resolve) => {
        const r = indexedDB.deleteDatabase('EntityDB');
        r.onsuccess = r.onerror = r.onblocked = () => resolve();
      });
      db = new EntityDB({ vectorPath: 'embedding' });
      for (let i = 0; i < n; i++)
        await db.insertManualVectors({ idx: i, embedding: Array.from(vectors.subarray(i * dims, (i + 1) * dims)) });
    },
    async search(q, k) {
      const res = (await db!.queryManualVectors(Array.from(q), { limit: k })) as { idx: number }[];
      return res.map((r) => r.idx);
    },
  };
}
