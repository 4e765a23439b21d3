// Node side of the host environment: dataset cache on disk, core loader, voy wasm bytes.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { datasetKey, exactTopK, generate, type Dataset, type DatasetSpec } from './dataset.ts';
import type { HostEnv } from './adapters/registry.ts';

export const BENCH_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_ROOT = resolve(BENCH_DIR, '..', '..');
export const CACHE_DIR = join(BENCH_DIR, '.cache');
export const RESULTS_DIR = join(BENCH_DIR, 'results');

const require = createRequire(import.meta.url);

export const nodeHost: HostEnv = {
  kind: 'node',
  loadCore: async (stem) => {
    // src/core/<stem>.ts, else src/core/vectors/<stem>.ts (where the indexes landed)
    const candidates = [join(REPO_ROOT, 'src', 'core', `${stem}.ts`), join(REPO_ROOT, 'src', 'core', 'vectors', `${stem}.ts`)];
    const file = candidates.find((f) => existsSync(f));
    if (!file) throw new Error(`neither ${candidates.join(' nor ')} exists (yet)`);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  },
  voyWasm: async () => readFileSync(require.resolve('voy-search/voy_search_bg.wasm')),
  extra: [{ name: 'hnswlib-node', env: 'node', create: async () => (await import('./adapters/hnswlib-node.ts')).create() }],
};

function writeAtomic(path: string, data: Float32Array | Int32Array) {
  writeFileSync(path + '.tmp', data);
  renameSync(path + '.tmp', path);
}

export function cachePaths(spec: DatasetSpec) {
  const key = datasetKey(spec);
  return {
    key,
    base: join(CACHE_DIR, `${key}.base.f32`),
    queries: join(CACHE_DIR, `${key}.queries.f32`),
    gt: join(CACHE_DIR, `${key}.gt.i32`),
  };
}

function readF32(p: string) {
  const b = readFileSync(p);
  return new Float32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}
function readI32(p: string) {
  const b = readFileSync(p);
  return new Int32Array(b.buffer, b.byteOffset, b.byteLength / 4);
}

/** Generates (or loads from .cache/) the vectors, queries and exact ground truth for a spec. */
export function ensureDataset(spec: DatasetSpec, log: (s: string) => void = () => {}): Dataset {
  mkdirSync(CACHE_DIR, { recursive: true });
  const p = cachePaths(spec);
  if (existsSync(p.base) && existsSync(p.queries) && existsSync(p.gt)) {
    return { spec, base: readF32(p.base), queries: readF32(p.queries), gt: readI32(p.gt) };
  }
  let t = performance.now();
  const { base, queries } = generate(spec);
  log(`generated ${p.key} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  t = performance.now();
  const gt = exactTopK(base, queries, spec.dims, spec.k, (d) => d % 200 === 0 && log(`  ground truth ${d}/${spec.queries}`));
  log(`exact top-${spec.k} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  writeAtomic(p.base, base);
  writeAtomic(p.queries, queries);
  writeAtomic(p.gt, gt);
  return { spec, base, queries, gt };
}
