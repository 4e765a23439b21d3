// Mnemo's persisted-index cold open is measured through its real storage path (IndexedDB chunks, graph snapshot
// and vector log, in a worker) by the main package's `npm run bench:persistence`; see docs/BENCHMARKS.md.
// Here it is recorded as not measured, with that pointer, rather than through a second, partial code path.
import type { ColdOpenResult } from './types.ts';

export async function mnemoColdOpenHook(adapterName: string, _index: unknown, _query: Float32Array, _k: number): Promise<ColdOpenResult> {
  throw new Error(`${adapterName}: measured by \`npm run bench:persistence\` (docs/BENCHMARKS.md), not by this harness`);
}
