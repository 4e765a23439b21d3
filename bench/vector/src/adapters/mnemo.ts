// Mnemo's own indexes (src/core/flat-index.ts, src/core/hnsw-index.ts), driven like every peer.
import type { Adapter, CoreLoader, ColdOpenResult } from './types.ts';
import { mnemoColdOpenHook } from './mnemo-persistence-hook.ts';

interface MnemoIndex {
  upsert(id: string, v: Float32Array): void;
  readonly size: number;
  search(q: Float32Array, k: number, options?: { efSearch?: number }): { id: string; score: number }[];
}

function ctorOf(mod: Record<string, unknown>, name: string): new (o: Record<string, unknown>) => MnemoIndex {
  const C = mod[name];
  if (typeof C !== 'function') throw new Error(`module does not export class ${name}`);
  return C as new (o: Record<string, unknown>) => MnemoIndex;
}

export async function createFlat(loadCore: CoreLoader, quantization: 'none' | 'int8'): Promise<Adapter> {
  const Flat = ctorOf(await loadCore('flat-index'), 'FlatIndex');
  let index: MnemoIndex | null = null;
  const name = quantization === 'none' ? 'mnemo-flat' : 'mnemo-flat-int8';
  return {
    name,
    env: 'both',
    kind: 'exact',
    describeParams: () => `FlatIndex quantization ${quantization}`,
    async build(vectors, dims, n) {
      index = new Flat({ dims, quantization });
      for (let i = 0; i < n; i++) index.upsert(String(i), vectors.slice(i * dims, (i + 1) * dims));
    },
    search(q, k) {
      return index!.search(q, k).map((h) => Number(h.id));
    },
    coldOpen: (q, k): Promise<ColdOpenResult> => mnemoColdOpenHook(name, index, q, k),
    dispose() {
      index = null;
    },
  };
}

export async function createHnsw(loadCore: CoreLoader): Promise<Adapter> {
  const Hnsw = ctorOf(await loadCore('hnsw-index'), 'HnswIndex');
  let index: MnemoIndex | null = null;
  let ef: number | undefined;
  let desc = '';
  return {
    name: 'mnemo-hnsw',
    env: 'both',
    kind: 'graph',
    defaultParam: null,
    describeParams: () => desc,
    async build(vectors, dims, n, p) {
      index = new Hnsw({ dims, M: p.M, efConstruction: p.efConstruction, seed: p.seed });
      for (let i = 0; i < n; i++) index.upsert(String(i), vectors.slice(i * dims, (i + 1) * dims));
      desc = `HnswIndex M ${p.M}, efConstruction ${p.efConstruction}, seed ${p.seed}; default efSearch = the class default`;
    },
    search(q, k) {
      return index!.search(q, k, ef === undefined ? undefined : { efSearch: ef }).map((h) => Number(h.id));
    },
    setSearchParam(v) {
      ef = v;
    },
    coldOpen: (q, k): Promise<ColdOpenResult> => mnemoColdOpenHook('mnemo-hnsw', index, q, k),
    dispose() {
      index = null;
    },
  };
}
