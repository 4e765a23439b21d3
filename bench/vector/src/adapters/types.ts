// The one interface every index (peers and Mnemo's own) is driven through. Ids are vector row indices 0..n-1.

export type Env = 'node' | 'browser' | 'both';

export interface BuildParams {
  /** Graph degree for HNSW-style peers (hnswlib M). */
  M: number;
  efConstruction: number;
  seed: number;
}

export interface ColdOpenResult {
  /** Time to write the index to its persistent store (not part of the cold open itself). */
  persistMs: number;
  /** Time from "nothing in memory" to an index object able to answer. */
  openMs: number;
  /** Latency of the first query after open. */
  firstQueryMs: number;
  note?: string;
}

export interface Adapter {
  name: string;
  env: Env;
  /** 'exact' brute force, 'graph' (HNSW), 'tree' (kd-tree). */
  kind: 'exact' | 'graph' | 'tree';
  /** Human-readable build parameters actually used. */
  describeParams(): string;
  build(vectors: Float32Array, dims: number, n: number, params: BuildParams): Promise<void>;
  /** Returns row indices of the k best matches, best first. */
  search(query: Float32Array, k: number): Promise<number[]> | number[];
  /** Sweep values for the search-time knob (efSearch or equivalent); absent for exact/brute-force peers. */
  sweep?: number[];
  /** The library's own default for that knob, measured as "default" before the sweep; null = leave untouched. */
  defaultParam?: number | null;
  setSearchParam?(value: number): void;
  /** Bytes the index itself reports (wasm heap size, typed arrays...), when it can. */
  memoryBytes?(): number;
  /** Slow peers may cap how many of the queries are timed (recall is computed on the same subset). */
  maxQueries?: number;
  /** Persisted-index cold open (e.g. IndexedDB -> first query). Optional. */
  coldOpen?(query: Float32Array, k: number): Promise<ColdOpenResult>;
  dispose?(): void | Promise<void>;
}

export interface AdapterEntry {
  name: string;
  env: Env;
  /** Loads the library lazily: a failing import or missing module skips this adapter with the reason. */
  create(): Promise<Adapter>;
}

/** Loads a module of Mnemo's core by file stem ("flat-index", "hnsw-index"); Node and Vite resolve it differently. */
export type CoreLoader = (stem: 'flat-index' | 'hnsw-index') => Promise<Record<string, unknown>>;
