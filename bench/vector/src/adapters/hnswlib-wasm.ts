// hnswlib-wasm 0.8.2: hnswlib compiled with Emscripten; the wasm binary is inlined in the package's JS (nothing to serve).
// addPoints/searchKnn take Float32Array directly.
import type { Adapter } from './types.ts';

export async function create(): Promise<Adapter> {
  const g = globalThis as { window?: unknown; importScripts?: unknown };
  if (typeof g.window === 'undefined' && typeof g.importScripts === 'undefined') {
    // Node: the Emscripten build targets web/worker only and mounts IDBFS at load. Pretend to be a worker and give it
    // an in-memory IndexedDB (fake-indexeddb); the index itself never touches the file system here.
    await import('fake-indexeddb/auto');
    g.importScripts = () => {};
  }
  const { loadHnswlib } = await import('hnswlib-wasm/dist/hnswlib.js'); // no main/exports field: deep import
  const lib = await loadHnswlib();
  type Index = InstanceType<typeof lib.HierarchicalNSW>;
  let index: Index | null = null;
  let desc = '';
  return {
    name: 'hnswlib-wasm',
    env: 'both',
    kind: 'graph',
    describeParams: () => desc,
    async build(vectors, dims, n, p) {
      index = new lib.HierarchicalNSW('ip', dims, '');
      index.initIndex(n, p.M, p.efConstruction, p.seed);
      const chunk = 1000;
      for (let s = 0; s < n; s += chunk) {
        const items: Float32Array[] = [];
        const labels: number[] = [];
        for (let i = s; i < Math.min(n, s + chunk); i++) {
          items.push(vectors.subarray(i * dims, (i + 1) * dims));
          labels.push(i);
        }
        index.addPoints(items, labels, false);
      }
      desc = `space ip, M ${p.M}, efConstruction ${p.efConstruction}, default efSearch ${index.getEfSearch()}`;
    },
    search(q, k) {
      return index!.searchKnn(q, k, undefined).neighbors;
    },
    setSearchParam(v) {
      index!.setEfSearch(v);
    },
    memoryBytes() {
      const m = lib as unknown as { HEAPU8?: Uint8Array };
      return m.HEAPU8?.buffer.byteLength ?? NaN; // (reading Module.wasmMemory aborts: not exported)
    },
    dispose() {
      (index as unknown as { delete?: () => void })?.delete?.();
      index = null;
    },
  };
}
