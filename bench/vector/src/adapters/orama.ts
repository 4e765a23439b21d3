// @orama/orama 3.x: a `vector[dims]` schema property searched with mode 'vector' (brute-force cosine over all docs).
import type { Adapter } from './types.ts';

export async function create(): Promise<Adapter> {
  const orama = await import('@orama/orama');
  let db: unknown = null;
  let dimsUsed = 0;
  return {
    name: 'orama',
    env: 'both',
    kind: 'exact',
    describeParams: () => `schema { embedding: 'vector[${dimsUsed}]' }, similarity threshold -1 (keep all), brute force`,
    async build(vectors, dims, n) {
      dimsUsed = dims;
      const d = orama.create({ schema: { embedding: `vector[${dims}]` } as const });
      const docs = new Array(n);
      for (let i = 0; i < n; i++) docs[i] = { id: String(i), embedding: Array.from(vectors.subarray(i * dims, (i + 1) * dims)) };
      await orama.insertMultiple(d, docs, 1000);
      db = d;
    },
    async search(q, k) {
      const res = await orama.search(
        db as Parameters<typeof orama.search>[0],
        {
          mode: 'vector',
          vector: { value: Array.from(q), property: 'embedding' },
          similarity: -1,
          limit: k,
          includeVectors: false,
        } as never,
      );
      return (res as { hits: { id: string }[] }).hits.map((h) => Number(h.id));
    },
    dispose() {
      db = null;
    },
  };
}
