// The transformers.js adapter in Node (onnxruntime-node) with the generated tiny BERT model of this repo.

import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODEL_REGISTRY } from '../core/embedding/model-registry.js';
import { MnemoError } from '../core/errors.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, codeOf, sequentialIds } from '../core/test-support.js';
import { InMemoryStore } from './memory-store.js';
import { TransformersEmbedder } from './transformers-embedder.js';

const MODELS = join(import.meta.dirname, '../../public/models/');
const TINY = MODEL_REGISTRY['mnemo-tiny-bert-v1']!;

function norm(v: Float32Array): number {
  return Math.sqrt(v.reduce((sum, x) => sum + x * x, 0));
}

describe('TransformersEmbedder (tiny BERT, onnxruntime-node)', () => {
  let embedder: TransformersEmbedder;
  beforeAll(async () => {
    embedder = await TransformersEmbedder.load({ model: TINY, device: 'cpu', localModelPath: MODELS, maxBatch: 4 });
  });
  afterAll(() => embedder.dispose());

  it('embeds to unit vectors of the model’s dimensions, deterministically', async () => {
    const [a, b] = await embedder.embed(['Ada prefers green tea', 'The meeting moved to Thursday']);
    expect(a).toBeInstanceOf(Float32Array);
    expect(a!.length).toBe(128);
    expect(norm(a!)).toBeCloseTo(1, 5);
    expect(norm(b!)).toBeCloseTo(1, 5);
    const [again] = await embedder.embed(['Ada prefers green tea']);
    again!.forEach((x, d) => expect(x).toBeCloseTo(a![d]!, 5));
  });

  it('returns vectors in input order though it batches by length, as if each were embedded alone', async () => {
    const texts = ['a', 'a much longer sentence about the weather in Lisbon in May', 'tea', 'two words', 'x y z w v u t s r q p'];
    const batched = await embedder.embed(texts);
    for (const [i, text] of texts.entries()) {
      const [alone] = await embedder.embed([text]);
      batched[i]!.forEach((x, d) => expect(x).toBeCloseTo(alone![d]!, 4));
    }
  });

  it('truncates a text longer than the model’s maximum tokens instead of failing', async () => {
    const [long] = await embedder.embed(['word '.repeat(5000)]);
    expect(long!.length).toBe(128);
  });

  it('stops between batches when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await codeOf(embedder.embed(['one', 'two'], { signal: controller.signal }))).toBe('ABORTED');
  });

  it('drives the dense half of recall', async () => {
    const memory = await MemoryRuntime.open({
      namespace: 't',
      store: new InMemoryStore(),
      clock: new ManualClock(),
      newId: sequentialIds(),
      embedder,
    });
    await memory.remember([{ text: 'Ada prefers green tea' }, { text: 'Bo rides a bike' }]);
    const [hit] = await memory.recall('green tea');
    expect(hit?.scores.dense).toBeGreaterThan(0);
    expect((await memory.stats()).vectors).toMatchObject({ model: 'mnemo-tiny-bert-v1', dims: 128, count: 2 });
  });

  it('fails to load a model that is not there with a typed error', async () => {
    const error = await TransformersEmbedder.load({
      model: { ...TINY, id: 'no-such-model' },
      device: 'cpu',
      localModelPath: MODELS,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MnemoError);
    expect((error as MnemoError).code).toBe('MODEL_UNAVAILABLE');
    expect((error as MnemoError).details).toMatchObject({ model: 'no-such-model', device: 'cpu' });
  });
});
