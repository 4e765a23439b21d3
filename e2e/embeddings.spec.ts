// The embedding model in Chromium: the generated tiny BERT through transformers.js in its own worker, on
// WASM (no WebGPU here without a flag), with every request the page and its workers make kept on localhost.

import { expect, test } from './support/fixtures.js';

const TINY = { model: 'mnemo-tiny-bert-v1', localModelPath: '/models/' };

test('a model on WASM: device and reason reported, dims right, recall hybrid, nothing fetched from elsewhere', async ({
  harnessPage: page,
  namespace,
}) => {
  const requests: string[] = [];
  page.context().on('request', (request) => requests.push(request.url()));
  const result = await page.evaluate(
    async ([ns, embedding]) => {
      const progress: { stage: string; file?: string; fraction?: number }[] = [];
      const memory = await window.harness.createMemory({
        namespace: ns,
        embedding: { ...embedding, device: 'auto' },
        onModelProgress: (p) => progress.push(p),
      });
      await memory.remember([{ text: 'Ada prefers green tea' }, { text: 'Bo rides his bike to work' }]);
      const hits = await memory.recall('green tea');
      const stats = await memory.stats();
      await memory.close();
      return {
        embedder: stats.embedder,
        vectors: stats.vectors,
        dense: hits[0]?.scores.dense,
        top: hits[0]?.record.text,
        progress,
      };
    },
    [namespace, TINY] as const,
  );
  expect(result.embedder).toMatchObject({
    model: 'mnemo-tiny-bert-v1',
    dims: 128,
    device: 'wasm',
    reason: 'no WebGPU adapter is available',
  });
  // The dev server sends COOP/COEP, so ONNX Runtime may use threads: one fewer than the cores, 1 to 4.
  expect(result.embedder?.threads).toBeGreaterThanOrEqual(1);
  expect(result.vectors).toMatchObject({ model: 'mnemo-tiny-bert-v1', dims: 128, count: 2 });
  // Progress while loading: the model file's bytes, then compiling it, then ready, in that order.
  const stages = result.progress.map((p) => p.stage);
  expect(result.progress.some((p) => p.stage === 'download' && p.file === 'onnx/model.onnx')).toBe(true);
  expect(stages.indexOf('compile')).toBeGreaterThan(stages.indexOf('download'));
  expect(stages.at(-1)).toBe('ready');
  expect(result.dense).toBeGreaterThan(0);
  expect(result.top).toBe('Ada prefers green tea');
  expect(requests.length).toBeGreaterThan(0);
  // Only this origin: its pages, modules, model files and ONNX Runtime's files (one as a blob: of this origin).
  expect(requests.filter((url) => !/^(blob:)?http:\/\/localhost:\d+\//.test(url))).toEqual([]);
  expect(requests.some((url) => url.includes('/models/mnemo-tiny-bert-v1/onnx/model.onnx'))).toBe(true);
  expect(requests.some((url) => url.includes('ort-wasm-simd-threaded'))).toBe(true);
});

test('WebGPU asked for but unavailable falls back to WASM and says so; an unknown model is a typed error', async ({
  harnessPage: page,
  namespace,
}) => {
  const result = await page.evaluate(
    async ([ns, embedding]) => {
      const memory = await window.harness.createMemory({ namespace: ns, embedding: { ...embedding, device: 'webgpu' } });
      const info = (await memory.stats()).embedder;
      await memory.close();
      const unknown = await window.harness.createMemory({ namespace: `${ns}-x`, embedding: { model: 'no-such-model' } }).then(
        () => 'opened',
        (e: { code: string }) => e.code,
      );
      return { info, unknown };
    },
    [namespace, TINY] as const,
  );
  expect(result.info?.device).toBe('wasm');
  // Headless Chromium without --enable-unsafe-webgpu has navigator.gpu but no adapter.
  expect(result.info?.reason).toBe('WebGPU was asked for, but no WebGPU adapter is available; using WASM');
  expect(result.unknown).toBe('INVALID_ARGUMENT');
});

test('opening a memory with another model re-embeds its records in the background', async ({ harnessPage: page, namespace }) => {
  const result = await page.evaluate(
    async ([ns, embedding]) => {
      const hashed = await window.harness.createMemory({ namespace: ns });
      await hashed.remember(Array.from({ length: 50 }, (_, i) => ({ text: `memory number ${i} about tea` })));
      const before = (await hashed.stats()).vectors;
      await hashed.close();
      const memory = await window.harness.createMemory({ namespace: ns, embedding: { ...embedding, device: 'wasm' } });
      const started = (await memory.stats()).reembedding;
      let stats = await memory.stats();
      for (let i = 0; i < 100 && stats.reembedding?.pending !== 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        stats = await memory.stats();
      }
      await memory.close();
      return { before, started, after: stats.reembedding, vectors: stats.vectors };
    },
    [namespace, TINY] as const,
  );
  expect(result.before).toMatchObject({ model: 'mnemo-hash-v1-d256-n34', dims: 256, count: 50 });
  expect(result.started?.pending).toBeGreaterThan(0);
  expect(result.after).toEqual({ pending: 0, running: false });
  expect(result.vectors).toMatchObject({ model: 'mnemo-tiny-bert-v1', dims: 128, count: 50 });
});
