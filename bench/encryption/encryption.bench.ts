// Encryption at rest benchmark in Chromium:
// npx playwright test --config bench/playwright.bench.config.ts encryption (BENCH_N=2000,10000 to choose sizes).

import { mkdirSync, writeFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import type { EncryptionResult, EncryptionRun } from './encryption-page.js';

const sizes = (process.env['BENCH_N'] ?? '2000').split(',').map(Number);

test.describe.configure({ mode: 'serial' });

for (const n of sizes) {
  const run: EncryptionRun = { n, dims: 384, batch: 100 };
  test(`encryption ${n}`, async ({ page }) => {
    test.setTimeout(900_000);
    await page.goto('/bench/encryption/encryption.html');
    await expect(page.locator('body[data-ready="true"]')).toBeAttached();
    const result: EncryptionResult = await page.evaluate((r) => window.runEncryption(r), run);
    mkdirSync('bench/results', { recursive: true });
    writeFileSync(`bench/results/encryption-${n}.json`, JSON.stringify(result, null, 2));
    const f = (ms: number) => ms.toFixed(ms < 10 ? 2 : 0);
    const side = (s: EncryptionResult['plain']) =>
      `ingest ${f(s.ingestMsPer1000)} ms/1000, open ${f(s.openMs)} ms, get ${f(s.getMsP50)}, list ${f(s.listMsP50)}, recall ${f(s.recallMsP50)} ms`;
    console.log(`n=${n} plain: ${side(result.plain)}`);
    console.log(`n=${n} encrypted: ${side(result.encrypted)}`);
    console.log(`n=${n} enable ${f(result.enableMs)} ms; PBKDF2 600k: ${result.pbkdf2Ms.map(f).join(', ')} ms`);
  });
}
