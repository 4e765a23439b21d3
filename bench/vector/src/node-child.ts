// Runs ONE adapter on ONE cached dataset in a fresh process (clean memory numbers, crash isolation).
// Usage: node --expose-gc --import tsx src/node-child.ts <json-args> <out-file>
import { writeFileSync } from 'node:fs';
import { runAdapter, type AdapterResult } from './bench.ts';
import { adapters } from './adapters/registry.ts';
import { ensureDataset, nodeHost } from './node-host.ts';
import type { DatasetSpec } from './dataset.ts';

const [, , argJson, outFile] = process.argv;
const {
  spec,
  adapter: name,
  M,
  efConstruction,
  seed,
  sweepBudgetMs,
} = JSON.parse(argJson) as {
  spec: DatasetSpec;
  adapter: string;
  M: number;
  efConstruction: number;
  seed: number;
  sweepBudgetMs: number;
};
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mem = () => {
  gc();
  gc();
  return process.memoryUsage();
};

const ds = ensureDataset(spec);
const entry = adapters(nodeHost).find((e) => e.name === name);
let result: AdapterResult;
if (!entry) result = { name, kind: 'exact', params: '', status: 'skipped', reason: 'unknown adapter' };
else {
  let adapter;
  try {
    adapter = await entry.create();
  } catch (e) {
    adapter = null;
    result = {
      name,
      kind: 'exact',
      params: '',
      status: 'skipped',
      reason: `import/init failed: ${String((e as Error)?.message ?? e)}`,
    };
  }
  if (adapter) {
    let before = mem();
    try {
      result = await runAdapter(
        adapter,
        { base: ds.base, queries: ds.queries, gt: ds.gt, dims: spec.dims, n: spec.n, nq: spec.queries, k: spec.k },
        { M, efConstruction, seed },
        {
          now: () => performance.now(),
          log: (s) => console.log(s),
          sweepBudgetMs,
          memoryBefore: async () => {
            before = mem();
          },
          memoryAfter: async (a) => {
            const after = mem();
            const own = a.memoryBytes?.();
            return {
              method: 'node: process RSS delta across build (after gc)',
              bytes: after.rss - before.rss,
              detail: {
                rssDelta: after.rss - before.rss,
                heapUsedDelta: after.heapUsed - before.heapUsed,
                externalDelta: after.external - before.external,
                arrayBuffersDelta: after.arrayBuffers - before.arrayBuffers,
                adapterReportedBytes: own === undefined || Number.isNaN(own) ? null : own,
              },
            };
          },
        },
      );
    } catch (e) {
      result = {
        name,
        kind: adapter.kind,
        params: adapter.describeParams(),
        status: 'failed',
        reason: String((e as Error)?.stack ?? e),
      };
    }
  }
}
writeFileSync(outFile, JSON.stringify(result!));
process.exit(0);
