// Runs in a dedicated worker: one embedding configuration measured on the given texts, with Mnemo's
// embedder (length-sorted batches of 32, truncation) and with a plain transformers.js pipeline in arrival order.

import { env, pipeline } from '@huggingface/transformers';
import { configureModelFiles } from '../../src/adapters/browser-embedding.js';
import { TransformersEmbedder } from '../../src/adapters/transformers-embedder.js';
import { MODEL_REGISTRY } from '../../src/core/embedding/model-registry.js';
import type { EmbeddingRun, EmbeddingResult } from './embeddings-types.js';

// ONNX Runtime's files and the model files as the product loads them: served by this app.
configureModelFiles({ localModelPath: '/models/' });

async function run(config: EmbeddingRun): Promise<EmbeddingResult> {
  env.backends.onnx.wasm!.numThreads = config.threads;
  const base = MODEL_REGISTRY[config.model]!;
  const model = {
    ...base,
    dtype: { ...base.dtype, wasm: config.dtype, webgpu: config.dtype === 'q8' ? 'fp32' : config.dtype },
  } as typeof base;
  const embedder = await TransformersEmbedder.load({
    model,
    device: config.device,
    threads: config.threads,
    ...(config.maxBatch !== undefined && { maxBatch: config.maxBatch }),
  });
  await embedder.embed(config.texts.slice(0, 2)); // warm-up: compile, first allocation

  const started = performance.now();
  await embedder.embed(config.texts);
  const mnemoMs = performance.now() - started;

  const queryTimes: number[] = [];
  for (const query of config.queries) {
    const t0 = performance.now();
    await embedder.embed([query], { kind: 'query' });
    queryTimes.push(performance.now() - t0);
  }
  await embedder.dispose();

  let plainMs: number | undefined;
  let perTextMs: number | undefined;
  if (config.plainBaseline) {
    // The peers' way: the pipeline over the texts in arrival order, in one call (all padded to the longest),
    // and one call per text (EntityDB's insert).
    const extractor = await pipeline('feature-extraction', model.id, {
      device: config.device,
      dtype: model.dtype[config.device === 'webgpu' ? 'webgpu' : 'wasm'],
    });
    await extractor(config.texts.slice(0, 2), { pooling: 'mean', normalize: true });
    let t0 = performance.now();
    await extractor(config.texts, { pooling: 'mean', normalize: true });
    plainMs = performance.now() - t0;
    t0 = performance.now();
    for (const text of config.texts) await extractor(text, { pooling: 'mean', normalize: true });
    perTextMs = performance.now() - t0;
    await extractor.dispose();
  }
  queryTimes.sort((a, b) => a - b);
  return {
    mnemoMs,
    plainMs,
    perTextMs,
    queryP50Ms: queryTimes[Math.floor(queryTimes.length / 2)] ?? Number.NaN,
    crossOriginIsolated: self.crossOriginIsolated,
  };
}

self.onmessage = (event: MessageEvent<EmbeddingRun>) => {
  run(event.data).then(
    (result) => self.postMessage({ result }),
    (error: unknown) => self.postMessage({ error: error instanceof Error ? `${error.message}\n${error.stack}` : String(error) }),
  );
};
