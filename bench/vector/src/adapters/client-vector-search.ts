// client-vector-search 0.2.0: EmbeddingIndex, an in-memory brute-force cosine scan over plain objects. Its
// @xenova/transformers dependency is only imported by getEmbedding()/initializeModel(), which we never call.
import type { Adapter } from './types.ts';

export async function create(): Promise<Adapter> {
  const { EmbeddingIndex } = await import('client-vector-search');
  let index: InstanceType<typeof EmbeddingIndex> | null = null;
  return {
    name: 'client-vector-search',
    env: 'both',
    kind: 'exact',
    describeParams: () => 'EmbeddingIndex (in memory, brute force)',
    async build(vectors, dims, n) {
      const objs = new Array(n);
      for (let i = 0; i < n; i++) objs[i] = { id: i, embedding: Array.from(vectors.subarray(i * dims, (i + 1) * dims)) };
      index = new EmbeddingIndex(objs);
    },
    async search(q, k) {
      const res = await index!.search(Array.from(q), { topK: k, useStorage: 'none' } as never);
      return res.map((r) => (r.object as { id: number }).id);
    },
    dispose() {
      index = null;
    },
  };
}
