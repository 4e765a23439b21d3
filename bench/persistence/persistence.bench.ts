// Persistence benchmark in Chromium: npm run bench:persistence [-- --n 100000]
// Bulk write, single-insert acknowledgement, compaction and cold open of a persisted index, in a worker.

import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { PersistenceResult, PersistenceRun } from './persistence-worker.js';

const sizes = (process.env['BENCH_N'] ?? '10000,100000').split(',').map(Number);
const runs: PersistenceRun[] = sizes.flatMap((n) => [
  { n, dims: 384, index: 'flat' as const },
  { n, dims: 384, index: 'hnsw' as const },
]);

test.describe.configure({ mode: 'serial' });

for (const run of runs) {
  test(`persistence ${run.index} ${run.n}`, async ({ page }) => {
    test.setTimeout(900_000);
    await page.goto('/bench/persistence/persistence.html');
    await expect(page.locator('body[data-ready="true"]')).toBeAttached();
    const result: PersistenceResult = await page.evaluate((r) => window.runPersistence(r), run);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/persistence-${run.index}-${run.n}.json`, JSON.stringify(result, null, 2));
    const f = (ms: number) => ms.toFixed(ms < 10 ? 2 : 0);
    console.log(
      `${run.index} n=${run.n}: bulk write ${f(result.bulkWriteMs)} ms (vectors alone ${f(result.bulkVectorsOnlyMs)} ms), build ${f(result.buildMs)} ms, compact ${f(result.compactMs)} ms, ` +
        `single insert p50 ${f(result.singleInsertMs.p50)} / p95 ${f(result.singleInsertMs.p95)} ms ` +
        `(with indexing ${f(result.insertAndIndexMs.p50)} / ${f(result.insertAndIndexMs.p95)} ms), cold open ${f(result.coldOpen.totalMs)} ms ` +
        `(open ${f(result.coldOpen.openStoreMs)}, load ${f(result.coldOpen.loadMs)}, first query ${f(result.coldOpen.firstQueryMs)}; ${result.coldOpen.kind} of ${result.coldOpen.size}), ` +
        `chunk read ${f(result.chunkRead.ms)} ms for ${result.chunkRead.megabytes.toFixed(0)} MB, ` +
        `storage ${(result.storedBytes / 1e6).toFixed(0)} MB, simd ${result.simd}`,
    );
  });
}
