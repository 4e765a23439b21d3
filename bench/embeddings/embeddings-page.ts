// The page side of the embedding benchmark: one worker per configuration, and an ingest run through the
// public API (embed + index + persist) against embedding alone, with the same model and device.

import { createMemory } from 'mnemo';
import { RemoteEmbedder } from '../../src/adapters/remote-embedder.js';
import type { EmbeddingResult, EmbeddingRun, IngestResult, IngestRun } from './embeddings-types.js';

declare global {
  interface Window {
    runEmbedding(run: EmbeddingRun): Promise<EmbeddingResult>;
    runIngest(run: IngestRun): Promise<IngestResult>;
  }
}

window.runEmbedding = (run) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./embeddings-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ result?: EmbeddingResult; error?: string }>) => {
      worker.terminate();
      if (event.data.error) reject(new Error(event.data.error));
      else resolve(event.data.result!);
    };
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(run);
  });

const MODEL = { model: 'mnemo-minilm-arch-v1', localModelPath: '/models/', device: 'wasm' as const };

window.runIngest = async ({ texts }) => {
  // Embedding alone: the same embedding worker the memory uses.
  const worker = new Worker(new URL('../../workers/embedding.worker.ts', import.meta.url), { type: 'module' });
  const embedder = await RemoteEmbedder.start(worker, MODEL);
  await embedder.embed(texts.slice(0, 2).map((t) => t.text));
  let t0 = performance.now();
  for (let i = 0; i < texts.length; i += 32) await embedder.embed(texts.slice(i, i + 32).map((t) => t.text));
  const embedOnlyMs = performance.now() - t0;
  worker.terminate();

  // The whole write path: the memory's embedding worker, BM25, vectors and IndexedDB, acknowledged.
  const memory = await createMemory({ namespace: `bench-ingest-${Date.now()}`, embedding: MODEL });
  await memory.remember(texts.slice(0, 2));
  t0 = performance.now();
  for (let i = 0; i < texts.length; i += 32) await memory.remember(texts.slice(i, i + 32));
  const rememberMs = performance.now() - t0;
  const device = (await memory.stats()).embedder?.device ?? 'none';
  await memory.close();
  return { embedOnlyMs, rememberMs, device };
};

document.body.dataset['ready'] = 'true';
