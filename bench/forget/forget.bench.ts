// Forget benchmark in Chromium: npx playwright test --config bench/playwright.bench.config.ts forget
// (BENCH_N=10000,50000 chooses the sizes).
// A forget (delete + the scrub compaction that erases the vector) against a bare delete, flat and HNSW.

import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { ForgetResult, ForgetRun } from './forget-page.js';

const sizes = (process.env['BENCH_N'] ?? '10000,50000').split(',').map(Number);
const runs: ForgetRun[] = sizes.flatMap((n) => [
  { n, dims: 384, index: 'flat' as const, forgets: 9 },
  { n, dims: 384, index: 'hnsw' as const, forgets: 9 },
]);

test.describe.configure({ mode: 'serial' });

for (const run of runs) {
  test(`forget ${run.index} ${run.n}`, async ({ page }) => {
    test.setTimeout(900_000);
    await page.goto('/bench/forget/forget.html');
    await expect(page.locator('body[data-ready="true"]')).toBeAttached();
    const result: ForgetResult = await page.evaluate((r) => window.runForget(r), run);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/forget-${run.index}-${run.n}.json`, JSON.stringify(result, null, 2));
    const f = (ms: number) => ms.toFixed(ms < 10 ? 2 : 0);
    console.log(
      `${run.index} n=${run.n} (${result.kind}): forget p50 ${f(result.forgetMs.p50)} / max ${f(result.forgetMs.max)} ms, ` +
        `bare delete p50 ${f(result.bareDeleteMs.p50)} / max ${f(result.bareDeleteMs.max)} ms, ` +
        `record check ${f(result.checkMsPer10k)} ms per 10,000 records`,
    );
  });
}
