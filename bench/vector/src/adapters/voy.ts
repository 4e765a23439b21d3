// voy-search 0.6.3: Rust kd-tree (kiddo) compiled to wasm with wasm-bindgen (bundler target). We instantiate the .wasm
// ourselves (bytes from disk in Node, a Vite-served ?url asset in the browser) because neither Node nor Vite 8 imports
// a .wasm ES module without extra flags/plugins. Exact search; squared Euclidean = same ranking as dot on unit vectors.
import type { Adapter } from './types.ts';

export async function create(wasmBytes: () => Promise<BufferSource>): Promise<Adapter> {
  const bg = (await import('voy-search/voy_search_bg.js')) as unknown as typeof import('voy-search') & {
    __wbg_set_wasm(exports: WebAssembly.Exports): void;
  };
  const { instance } = await WebAssembly.instantiate(await wasmBytes(), {
    './voy_search_bg.js': bg as unknown as WebAssembly.ModuleImports,
  });
  bg.__wbg_set_wasm(instance.exports);
  const memory = instance.exports.memory as WebAssembly.Memory;
  let voy: InstanceType<typeof bg.Voy> | null = null;
  return {
    name: 'voy',
    env: 'both',
    kind: 'tree',
    describeParams: () => 'kd-tree, no parameters (exact)',
    async build(vectors, dims, n) {
      const embeddings = new Array(n);
      for (let i = 0; i < n; i++)
        embeddings[i] = { id: String(i), title: '', url: '', embeddings: Array.from(vectors.subarray(i * dims, (i + 1) * dims)) };
      voy = new bg.Voy({ embeddings });
    },
    search(q, k) {
      return voy!.search(q, k).neighbors.map((nb) => Number(nb.id));
    },
    memoryBytes: () => memory.buffer.byteLength,
    dispose() {
      voy?.free();
      voy = null;
    },
  };
}
