// Persistence benchmark in Chromium: npm run bench:persistence (BENCH_N=10000,100000, BENCH_DURABILITY=strict,relaxed,
// BENCH_PROFILE=disk or memory).
// Bulk write, single-insert acknowledgement, compaction and cold open of a persisted index, in a worker, with each
// durability of the write transactions side by side (strict, then relaxed, for each size and index).

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { chromium, expect, test } from '@playwright/test';
import type { PersistenceResult, PersistenceRun } from './persistence-worker.js';

const sizes = (process.env['BENCH_N'] ?? '10000,100000').split(',').map(Number);
const durabilities = (process.env['BENCH_DURABILITY'] ?? 'strict,relaxed').split(',') as PersistenceRun['durability'][];
// 'memory': an off-the-record context, as Playwright's default contexts are, where Chromium keeps IndexedDB in memory
// and a commit's durability costs nothing (the figures before 2026-11-22's durability runs were taken so).
const inMemory = process.env['BENCH_PROFILE'] === 'memory';
const runs: PersistenceRun[] = sizes.flatMap((n) =>
  (['flat', 'hnsw'] as const).flatMap((index) => durabilities.map((durability) => ({ n, dims: 384, index, durability }))),
);

test.describe.configure({ mode: 'serial' });

for (const run of runs) {
  test(`persistence ${run.index} ${run.n} ${run.durability}`, async ({ baseURL, browser }, testInfo) => {
    test.setTimeout(900_000);
    const profile = testInfo.outputPath('profile');
    const context = inMemory
      ? await browser.newContext({ ...(baseURL && { baseURL }) })
      : await chromium.launchPersistentContext(profile, {
          ...testInfo.project.use.launchOptions,
          ...(baseURL && { baseURL }),
          headless: true,
        });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto('/bench/persistence/persistence.html');
      await expect(page.locator('body[data-ready="true"]')).toBeAttached();
      const result: PersistenceResult = await page.evaluate((r) => window.runPersistence(r), run);
      mkdirSync('bench/results', { recursive: true });
      writeFileSync(
        `bench/results/persistence-${run.index}-${run.n}-${run.durability}${inMemory ? '-memory' : ''}.json`,
        JSON.stringify(result, null, 2),
      );
      const f = (ms: number) => ms.toFixed(ms < 10 ? 2 : 0);
      console.log(
        `${run.index} n=${run.n} ${run.durability}${inMemory ? ' (in memory)' : ''}: bulk write ${f(result.bulkWriteMs)} ms (vectors alone ${f(result.bulkVectorsOnlyMs)} ms), build ${f(result.buildMs)} ms, compact ${f(result.compactMs)} ms, ` +
          `single insert p50 ${f(result.singleInsertMs.p50)} / p95 ${f(result.singleInsertMs.p95)} ms ` +
          `(with indexing ${f(result.insertAndIndexMs.p50)} / ${f(result.insertAndIndexMs.p95)} ms), cold open ${f(result.coldOpen.totalMs)} ms ` +
          `(open ${f(result.coldOpen.openStoreMs)}, load ${f(result.coldOpen.loadMs)}, first query ${f(result.coldOpen.firstQueryMs)}; ${result.coldOpen.kind} of ${result.coldOpen.size}), ` +
          `chunk read ${f(result.chunkRead.ms)} ms for ${result.chunkRead.megabytes.toFixed(0)} MB, ` +
          `storage ${(result.storedBytes / 1e6).toFixed(0)} MB, simd ${result.simd}`,
      );
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  });
}
