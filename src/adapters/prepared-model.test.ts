// A model prepared ahead of an open: taken by the open with the same options (progress from there on), loaded again
// if it failed, replaced by another model's preparation, never used by an open with other options.

import { describe, expect, it } from 'vitest';
import type { EmbeddingOptions, ModelLoadProgress } from '../core/api.js';
import type { Embedder } from '../core/ports.js';
import { PreparedModel, type StartModel } from './prepared-model.js';

const TINY: EmbeddingOptions = { model: 'mnemo-tiny-bert-v1', localModelPath: '/models/', device: 'wasm' };
const MINILM: EmbeddingOptions = { model: 'mnemo-minilm-arch-v1', localModelPath: '/models/', device: 'wasm' };

/** A fake model loader whose loads the test settles by hand. */
function loader(embed: (texts: readonly string[]) => Promise<Float32Array[]> = () => Promise.resolve([])) {
  const embedded: string[][] = [];
  const loads: {
    options: EmbeddingOptions;
    progress: ((progress: ModelLoadProgress) => void) | undefined;
    resolve(): void;
    reject(error: Error): void;
    disposed: boolean;
  }[] = [];
  const start: StartModel = (options, progress) => {
    let resolve!: () => void;
    let reject!: (error: Error) => void;
    const loading = new Promise<Embedder>((ok, fail) => {
      resolve = () =>
        ok({
          model: options.model,
          dims: 8,
          embed: (texts) => {
            embedded.push([...texts]);
            return embed(texts);
          },
        });
      reject = fail;
    });
    const load = { options, progress, resolve, reject, disposed: false };
    loads.push(load);
    return { loading, dispose: () => (load.disposed = true) };
  };
  return { start, loads, embedded };
}

describe('PreparedModel', () => {
  it('hands the prepared load to the open with the same options, replaying the stage it reached', async () => {
    const { start, loads, embedded } = loader();
    const prepared = new PreparedModel(start);
    const ready = prepared.prepare(TINY);
    loads[0]!.progress?.({ stage: 'compile' });
    // The same options in another order and with the default device spelled out are the same model.
    expect(prepared.holds({ device: 'wasm', localModelPath: '/models/', model: 'mnemo-tiny-bert-v1' })).toBe(true);
    const heard: ModelLoadProgress[] = [];
    const taken = prepared.take(TINY, (progress) => heard.push(progress));
    loads[0]!.progress?.({ stage: 'ready' });
    loads[0]!.resolve();
    await ready;
    expect((await taken.loading).model).toBe('mnemo-tiny-bert-v1');
    expect(loads).toHaveLength(1);
    expect(heard.map((p) => p.stage)).toEqual(['compile', 'ready']);
    // Its first inference, the slow one, ran before any open needed it.
    expect(embedded).toEqual([['Mnemo']]);
    expect(prepared.holds(TINY)).toBe(false);
  });

  it('loads afresh for an open with other options, keeping the prepared model', async () => {
    const { start, loads } = loader();
    const prepared = new PreparedModel(start);
    void prepared.prepare(TINY);
    const taken = prepared.take(MINILM, undefined);
    expect(loads.map((l) => l.options.model)).toEqual(['mnemo-tiny-bert-v1', 'mnemo-minilm-arch-v1']);
    loads[1]!.resolve();
    expect((await taken.loading).model).toBe('mnemo-minilm-arch-v1');
    expect(prepared.holds(TINY)).toBe(true);
  });

  it('loads again when the prepared load fails under the open, so the open fails only as it would without', async () => {
    const { start, loads } = loader();
    const prepared = new PreparedModel(start);
    const ready = prepared.prepare(TINY);
    const taken = prepared.take(TINY, undefined);
    loads[0]!.reject(new Error('out of memory'));
    await expect(ready).rejects.toThrow('out of memory');
    await Promise.resolve();
    expect(loads).toHaveLength(2);
    expect(loads[0]!.disposed).toBe(true);
    loads[1]!.reject(new Error('no such file'));
    await expect(taken.loading).rejects.toThrow('no such file');
  });

  it('forgets a prepared load that failed before any open, which then loads the model itself', async () => {
    const { start, loads } = loader();
    const prepared = new PreparedModel(start);
    const ready = prepared.prepare(TINY);
    loads[0]!.reject(new Error('offline'));
    await expect(ready).rejects.toThrow('offline');
    expect(prepared.holds(TINY)).toBe(false);
    expect(loads[0]!.disposed).toBe(true);
    void prepared.take(TINY, undefined);
    expect(loads).toHaveLength(2);
  });

  it('counts a model that loaded but failed its warm-up as prepared', async () => {
    const { start, loads } = loader(() => Promise.reject(new Error('busy')));
    const prepared = new PreparedModel(start);
    const ready = prepared.prepare(TINY);
    loads[0]!.resolve();
    await expect(ready).resolves.toBeUndefined();
    expect(prepared.holds(TINY)).toBe(true);
  });

  it('holds one model: preparing another lets the first go, preparing the same twice loads once', () => {
    const { start, loads } = loader();
    const prepared = new PreparedModel(start);
    void prepared.prepare(TINY);
    void prepared.prepare(TINY);
    expect(loads).toHaveLength(1);
    void prepared.prepare(MINILM);
    expect(loads).toHaveLength(2);
    expect(loads[0]!.disposed).toBe(true);
    expect(prepared.holds(TINY)).toBe(false);
    expect(prepared.holds(MINILM)).toBe(true);
  });
});
