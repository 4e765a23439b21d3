// Embedding speed on WebGPU in headless Chromium: `--enable-unsafe-webgpu` gives only SwiftShader (a software
// adapter) here, so a handful of sentences; run with the rest by npm run bench:embeddings.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { chromiumLaunchOptions } from '../../scripts/find-chromium.mjs';
import type { EmbeddingResult } from './embeddings-types.js';

// launchOptions replace the config's whole object, so the browser path and offline flags come again.
test.use({ launchOptions: chromiumLaunchOptions(['--enable-unsafe-webgpu']) });

const conversation = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../shared/data/locomo-dev/conv-26.json'), 'utf8'),
) as {
  session_1: { text: string }[];
};
const texts = conversation.session_1.slice(0, Number(process.env['BENCH_WEBGPU_N'] ?? 8)).map((t) => t.text);

test('chromium webgpu (SwiftShader) fp32', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto('/bench/embeddings/embeddings.html');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  const run = {
    model: 'mnemo-minilm-arch-v1',
    device: 'webgpu' as const,
    dtype: 'fp32' as const,
    threads: 1,
    plainBaseline: false,
    texts,
    queries: ['What did Melanie paint?'],
  };
  const result: EmbeddingResult = await page.evaluate((r) => window.runEmbedding(r), run);
  console.log(
    `chromium webgpu fp32 (SwiftShader): ${(texts.length / (result.mnemoMs / 1000)).toFixed(2)} sentences/s over ${texts.length} turns, ` +
      `${((result.mnemoMs / texts.length) * 32).toFixed(0)} ms per 32 (extrapolated); query p50 ${result.queryP50Ms.toFixed(0)} ms`,
  );
});
