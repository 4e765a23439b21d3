// hnswlib-node 3.0.0: native C++ hnswlib through N-API (Node only). The ceiling.
import type { Adapter } from './types.ts';

export async function create(): Promise<Adapter> {
  const mod = (await import('hnswlib-node')) as unknown as { default?: typeof import('hnswlib-node'); HierarchicalNSW?: unknown };
  const { HierarchicalNSW } = (mod.default ?? mod) as typeof import('hnswlib-node');
  let index: InstanceType<typeof HierarchicalNSW> | null = null;
  let desc = '';
  return {
    name: 'hnswlib-node',
    env: 'node',
    kind: 'graph',
    defaultParam: 10,
    describeParams: () => desc,
    async build(vectors, dims, n, p) {
      index = new HierarchicalNSW('ip', dims);
      index.initIndex(n, p.M, p.efConstruction, p.seed);
      for (let i = 0; i < n; i++) index.addPoint(Array.from(vectors.subarray(i * dims, (i + 1) * dims)), i);
      desc = `space ip, M ${p.M}, efConstruction ${p.efConstruction}, default ef ${index.getEf()}`;
    },
    search(q, k) {
      return index!.searchKnn(Array.from(q), k).neighbors; // the binding only accepts plain arrays
    },
    setSearchParam(v) {
      index!.setEf(v);
    },
  };
}
