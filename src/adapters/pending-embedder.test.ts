// The embedder a runtime opens with while its model loads: calls wait for the load, a failed load fails them.

import { describe, expect, it } from 'vitest';
import type { Embedder } from '../core/ports.js';
import { codeOf } from '../core/test-support.js';
import { PendingEmbedder } from './pending-embedder.js';

function loaded(model = 'm', dims = 2): Embedder & { texts: string[] } {
  const embedder = {
    model,
    dims,
    texts: [] as string[],
    info: { model, dims, device: 'wasm' as const, reason: 'WASM was asked for' },
    async embed(texts: readonly string[]) {
      embedder.texts.push(...texts);
      return texts.map(() => Float32Array.of(1, 0));
    },
  };
  return embedder;
}

describe('PendingEmbedder', () => {
  it('answers with the model and dimensions at once, and embeds once the model has loaded', async () => {
    let finish!: (embedder: Embedder) => void;
    const pending = new PendingEmbedder('m', 2, new Promise<Embedder>((resolve) => (finish = resolve)));
    expect([pending.model, pending.dims, pending.info]).toEqual(['m', 2, undefined]);
    let answered = false;
    const call = pending.embed(['a', 'b'], { kind: 'query' }).then((vectors) => ((answered = true), vectors));
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(answered).toBe(false);
    const model = loaded();
    finish(model);
    expect(await call).toHaveLength(2);
    expect(model.texts).toEqual(['a', 'b']);
    expect(pending.info).toEqual(model.info);
  });

  it('fails its calls, and `ready`, with the error of a failed load', async () => {
    const failure = Object.assign(new Error('no model'), { code: 'MODEL_UNAVAILABLE' });
    const pending = new PendingEmbedder('m', 2, Promise.reject(failure));
    await expect(pending.ready).rejects.toBe(failure);
    await expect(pending.embed(['a'])).rejects.toBe(failure);
  });

  it('refuses a loaded model other than the one the vectors were opened for', async () => {
    const pending = new PendingEmbedder('m', 2, Promise.resolve(loaded('m', 3)));
    expect(await codeOf(pending.ready)).toBe('MODEL_UNAVAILABLE');
    expect(await codeOf(pending.embed(['a']))).toBe('MODEL_UNAVAILABLE');
  });
});
