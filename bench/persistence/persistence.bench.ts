// Persistence benchmark in Chromium: npm run bench:persistence (BENCH_N=10000,100000, BENCH_DURABILITY=strict,relaxed,
// BENCH_PROFILE=disk or memory, BENCH_INTERLEAVED=10000 records per store, 0 to skip).
// Bulk write, single-insert acknowledgement, compaction and cold open of a persisted index, in a worker, with each
// durability of the write transactions side by side (strict, then relaxed, for each size and index); then both
// durabilities interleaved batch by batch and insert by insert, so a changing load on the machine hits both alike.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { chromium, expect, test, type Browser, type BrowserContext, type Page, type TestInfo } from '@playwright/test';
import type { PersistenceRun } from './persistence-worker.js';

const sizes = (process.env['BENCH_N'] ?? '10000,100000').split(',').map(Number);
const durabilities = (process.env['BENCH_DURABILITY'] ?? 'strict,relaxed').split(',') as PersistenceRun['durability'][];
const interleaved = Number(process.env['BENCH_INTERLEAVED'] ?? 10_000);
// 'memory': an off-the-record context, as Playwright's default contexts are, where Chromium keeps IndexedDB in memory
// and a commit's durability costs nothing (the figures before 2026-11-22's durability runs were taken so).
const inMemory = process.env['BENCH_PROFILE'] === 'memory';
const suffix = inMemory ? '-memory' : '';
const runs: PersistenceRun[] = sizes.flatMap((n) =>
  (['flat', 'hnsw'] as const).flatMap((index) => durabilities.map((durability) => ({ n, dims: 384, index, durability }))),
);
const f = (ms: number) => ms.toFixed(ms < 10 ? 2 : 0);

test.describe.configure({ mode: 'serial' });

/** The benchmark page in a profile on disk (or off the record), removed afterwards. */
async function withPage<T>(
  browser: Browser,
  baseURL: string | undefined,
  testInfo: TestInfo,
  body: (page: Page) => Promise<T>,
): Promise<T> {
  const profile = testInfo.outputPath('profile');
  const context: BrowserContext = inMemory
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
    return await body(page);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

for (const run of runs) {
  test(`persistence ${run.index} ${run.n} ${run.durability}`, async ({ baseURL, browser }, testInfo) => {
    test.setTimeout(900_000);
    const result = await withPage(browser, baseURL, testInfo, (page) => page.evaluate((r) => window.runPersistence(r), run));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      `bench/results/persistence-${run.index}-${run.n}-${run.durability}${suffix}.json`,
      JSON.stringify(result, null, 2),
    );
    console.log(
      `${run.index} n=${run.n} ${run.durability}${inMemory ? ' (in memory)' : ''}: bulk write ${f(result.bulkWriteMs)} ms (vectors alone ${f(result.bulkVectorsOnlyMs)} ms), build ${f(result.buildMs)} ms, compact ${f(result.compactMs)} ms, ` +
        `single insert p50 ${f(result.singleInsertMs.p50)} / p95 ${f(result.singleInsertMs.p95)} ms ` +
        `(with indexing ${f(result.insertAndIndexMs.p50)} / ${f(result.insertAndIndexMs.p95)} ms), cold open ${f(result.coldOpen.totalMs)} ms ` +
        `(open ${f(result.coldOpen.openStoreMs)}, load ${f(result.coldOpen.loadMs)}, first query ${f(result.coldOpen.firstQueryMs)}; ${result.coldOpen.kind} of ${result.coldOpen.size}), ` +
        `chunk read ${f(result.chunkRead.ms)} ms for ${result.chunkRead.megabytes.toFixed(0)} MB, ` +
        `storage ${(result.storedBytes / 1e6).toFixed(0)} MB, simd ${result.simd}`,
    );
  });
}

if (interleaved > 0) {
  test(`durability interleaved ${interleaved}`, async ({ baseURL, browser }, testInfo) => {
    test.setTimeout(900_000);
    const run = { interleaved: true as const, n: interleaved, dims: 384, inserts: 500 };
    const result = await withPage(browser, baseURL, testInfo, (page) => page.evaluate((r) => window.runInterleaved(r), run));
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/persistence-interleaved-${interleaved}${suffix}.json`, JSON.stringify(result, null, 2));
    for (const durability of ['strict', 'relaxed'] as const) {
      const { bulkWriteMs, singleInsertMs: s } = result[durability];
      console.log(
        `interleaved n=${interleaved} ${durability}${inMemory ? ' (in memory)' : ''}: bulk write ${f(bulkWriteMs)} ms, ` +
          `${run.inserts} single inserts p50 ${f(s.p50)} / p95 ${f(s.p95)} / mean ${f(s.mean)} ms`,
      );
    }
  });
}
