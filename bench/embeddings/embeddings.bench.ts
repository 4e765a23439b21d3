// Embedding speed: npm run bench:embeddings   (needs `node scripts/generate-test-models.mjs minilm` first)
// The MiniLM-architecture test model (all-MiniLM-L6-v2 shapes, random weights) on the turns of a LoCoMo dev
// conversation, in arrival order: Chromium WASM (1 and 2 threads, fp32 and q8), WebGPU on SwiftShader (a few
// sentences, in embeddings-webgpu.bench.ts: it is very slow), and onnxruntime-node as the native reference, in one run. For each: Mnemo's
// embedder (length-sorted batches of 32, truncation to 256 tokens) and a plain pipeline over the same texts in
// arrival order; a query's latency; and ingest through the public API against embedding alone.

import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { expect, test } from '@playwright/test';
import { TransformersEmbedder } from '../../src/adapters/transformers-embedder.js';
import { MODEL_REGISTRY } from '../../src/core/embedding/model-registry.js';
import type { EmbeddingResult, EmbeddingRun, IngestResult } from './embeddings-types.js';

const MODEL = 'mnemo-minilm-arch-v1';
const N = Number(process.env['BENCH_N'] ?? 512);
const conversation = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../../shared/data/locomo-dev/conv-26.json'), 'utf8'),
) as Record<string, unknown>;
const turns = Object.keys(conversation)
  .filter((key) => /^session_\d+$/.test(key))
  .sort((a, b) => Number(a.slice(8)) - Number(b.slice(8)))
  .flatMap((key) =>
    (conversation[key] as { speaker: string; text: string }[]).map((t) => ({ text: t.text, speaker: t.speaker, sessionId: key })),
  )
  .slice(0, N);
const texts = turns.map((t) => t.text);
const queries = [
  'When did Caroline go to the support group?',
  'What did Melanie paint?',
  'Where did they go camping?',
  'What books does she like?',
];
const words = texts.reduce((sum, t) => sum + t.split(/\s+/).length, 0) / texts.length;
const lines: string[] = [];
const results: Record<string, unknown> = {};

function report(name: string, count: number, ms: number, extra = ''): void {
  const line = `${name}: ${(count / (ms / 1000)).toFixed(1)} sentences/s, ${((ms / count) * 32).toFixed(0)} ms per 32${extra}`;
  lines.push(line);
  console.log(line);
}

test.describe.configure({ mode: 'serial' });

test('onnxruntime-node (native reference)', async () => {
  for (const dtype of ['fp32', 'q8'] as const) {
    const base = MODEL_REGISTRY[MODEL]!;
    const embedder = await TransformersEmbedder.load({
      model: { ...base, dtype: { ...base.dtype, cpu: dtype } },
      device: 'cpu',
      localModelPath: 'public/models/',
    });
    await embedder.embed(texts.slice(0, 2));
    const t0 = performance.now();
    await embedder.embed(texts);
    const ms = performance.now() - t0;
    results[`node-${dtype}`] = { ms, n: texts.length };
    report(`node ${dtype}`, texts.length, ms);
    await embedder.dispose();
  }
});

// BENCH_BATCHES=1,4,8: a sweep of batch sizes on WASM (1 thread, fp32 and q8) instead of the standard runs.
const sweep = process.env['BENCH_BATCHES']?.split(',').map(Number);
const standardRuns: Omit<EmbeddingRun, 'texts' | 'queries'>[] = [
  { model: MODEL, device: 'wasm', dtype: 'fp32', threads: 1, plainBaseline: true },
  { model: MODEL, device: 'wasm', dtype: 'q8', threads: 1, plainBaseline: true },
  { model: MODEL, device: 'wasm', dtype: 'fp32', threads: 2, plainBaseline: false },
  { model: MODEL, device: 'wasm', dtype: 'q8', threads: 2, plainBaseline: false },
];
const browserRuns = sweep
  ? sweep.flatMap((maxBatch) =>
      (['fp32', 'q8'] as const).map((dtype) => ({
        model: MODEL,
        device: 'wasm' as const,
        dtype,
        threads: Number(process.env['BENCH_THREADS'] ?? 1),
        plainBaseline: false,
        maxBatch,
      })),
    )
  : standardRuns;

for (const run of browserRuns) {
  test(`chromium ${run.device} ${run.dtype} ${run.threads} thread(s)${run.maxBatch ? ` batch ${run.maxBatch}` : ''}`, async ({
    page,
  }) => {
    test.setTimeout(900_000);
    await page.goto('/bench/embeddings/embeddings.html');
    await expect(page.locator('body[data-ready="true"]')).toBeAttached();
    const result: EmbeddingResult = await page.evaluate((r) => window.runEmbedding(r), { ...run, texts, queries });
    const name = `chromium ${run.device} ${run.dtype} ${run.threads}t${run.maxBatch ? ` batch ${run.maxBatch}` : ''}`;
    results[name] = result;
    const rate = (ms: number) => (texts.length / (ms / 1000)).toFixed(1);
    const plain =
      result.plainMs === undefined || result.perTextMs === undefined
        ? ''
        : `; plain pipeline(texts) in arrival order ${rate(result.plainMs)} sentences/s (Mnemo ${(result.plainMs / result.mnemoMs).toFixed(2)}x), ` +
          `one call per text ${rate(result.perTextMs)} (Mnemo ${(result.perTextMs / result.mnemoMs).toFixed(2)}x)`;
    report(
      name,
      texts.length,
      result.mnemoMs,
      `; query p50 ${result.queryP50Ms.toFixed(1)} ms${plain}; isolated ${result.crossOriginIsolated}`,
    );
  });
}

test('ingest through the public API against embedding alone (WASM, 1 thread)', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto('/bench/embeddings/embeddings.html');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
  const result: IngestResult = await page.evaluate((t) => window.runIngest({ texts: t }), turns);
  results['ingest'] = result;
  const line = `ingest of ${turns.length} turns (${result.device}): embed alone ${result.embedOnlyMs.toFixed(0)} ms, remember (embed + index + persist) ${result.rememberMs.toFixed(0)} ms, overhead ${(((result.rememberMs - result.embedOnlyMs) / result.embedOnlyMs) * 100).toFixed(1)}%`;
  lines.push(line);
  console.log(line);
});

test.afterAll(() => {
  mkdirSync('bench/results', { recursive: true });
  writeFileSync('bench/results/embeddings.json', JSON.stringify({ n: texts.length, meanWords: words, results, lines }, null, 2));
  console.log(`${texts.length} turns of conv-26, ${words.toFixed(1)} words on average`);
});
