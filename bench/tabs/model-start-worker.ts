// Where a model load in a fresh worker goes (the takeover benchmark's "model start" test): importing the model
// runtime, then each load and its first inferences. The second load of the same model in the same worker finds
// ONNX Runtime already started, so the difference between the first two loads is the runtime's own start.

import { configureModelFiles } from '../../src/adapters/browser-embedding.js';
import { TransformersEmbedder } from '../../src/adapters/transformers-embedder.js';
import { MODEL_REGISTRY } from '../../src/core/embedding/model-registry.js';

export type ModelStartTimes = Record<string, number>;

// A worker's clock starts with the worker: this is how long loading the model runtime's code took.
const imported = performance.now();

async function measure(models: string[]): Promise<ModelStartTimes> {
  const times: ModelStartTimes = { 'worker start and imports': imported };
  configureModelFiles({ localModelPath: '/models/' });
  for (const [i, id] of models.entries()) {
    const name = `${i + 1}:${id}`;
    let t = performance.now();
    const embedder = await TransformersEmbedder.load({
      model: MODEL_REGISTRY[id]!,
      device: 'wasm',
      localModelPath: '/models/',
      threads: 1,
    });
    times[`${name} load`] = performance.now() - t;
    t = performance.now();
    await embedder.embed(['a first query about the harbour'], { kind: 'query' });
    times[`${name} first embed`] = performance.now() - t;
    t = performance.now();
    await embedder.embed(['a second query about the garden'], { kind: 'query' });
    times[`${name} second embed`] = performance.now() - t;
  }
  return times;
}

self.onmessage = (event: MessageEvent<string[]>) => {
  measure(event.data).then(
    (times) => postMessage({ times }),
    (error: unknown) => postMessage({ error: String(error) }),
  );
};
