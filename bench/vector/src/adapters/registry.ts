// Which adapters exist and in which environment they run. Every entry loads its library lazily so that one failing
// import (missing package, missing src/core file) skips that adapter with its reason instead of stopping the run.
import type { AdapterEntry, CoreLoader } from './types.ts';

export interface HostEnv {
  kind: 'node' | 'browser';
  loadCore: CoreLoader;
  voyWasm(): Promise<BufferSource>;
  /** Node-only or browser-only extra entries (e.g. hnswlib-node, entity-db), supplied by the host. */
  extra?: AdapterEntry[];
}

export function adapters(host: HostEnv): AdapterEntry[] {
  const list: AdapterEntry[] = [
    { name: 'mnemo-flat', env: 'both', create: async () => (await import('./mnemo.ts')).createFlat(host.loadCore, 'none') },
    { name: 'mnemo-flat-int8', env: 'both', create: async () => (await import('./mnemo.ts')).createFlat(host.loadCore, 'int8') },
    { name: 'mnemo-hnsw', env: 'both', create: async () => (await import('./mnemo.ts')).createHnsw(host.loadCore) },
    { name: 'hnswlib-wasm', env: 'both', create: async () => (await import('./hnswlib-wasm.ts')).create() },
    { name: 'voy', env: 'both', create: async () => (await import('./voy.ts')).create(host.voyWasm) },
    { name: 'orama', env: 'both', create: async () => (await import('./orama.ts')).create() },
    { name: 'client-vector-search', env: 'both', create: async () => (await import('./client-vector-search.ts')).create() },
    { name: 'mememo', env: 'both', create: async () => (await import('./mememo.ts')).create() },
    ...(host.extra ?? []),
  ];
  return list;
}
