// An embedder whose model is still loading: its name and dimensions are known from the registry at once, so a
// runtime can open (store, record scan, indexes, vectors) while the model loads; `embed` waits for the load.

import type { AbortSignalLike } from '../core/abort.js';
import type { EmbedderInfo } from '../core/api.js';
import { MnemoError } from '../core/errors.js';
import type { Embedder } from '../core/ports.js';

export class PendingEmbedder implements Embedder {
  /** Settles when the model is loaded (or its load failed); the opener awaits it before handing the memory out. */
  readonly ready: Promise<void>;
  private loaded: Embedder | undefined;

  constructor(
    readonly model: string,
    readonly dims: number,
    loading: Promise<Embedder>,
  ) {
    this.ready = loading.then((embedder) => {
      // The vectors were loaded for the registry's model and dimensions: the model must be that one.
      if (embedder.model !== model || embedder.dims !== dims) {
        throw new MnemoError(
          'MODEL_UNAVAILABLE',
          `The model loaded as "${model}" is "${embedder.model}" (${embedder.dims} dims).`,
          {
            details: { model, dims, loaded: embedder.model, loadedDims: embedder.dims },
          },
        );
      }
      this.loaded = embedder;
    });
    // Whoever needs the model awaits `ready` or `embed`; the load failing is reported there.
    this.ready.catch(() => undefined);
  }

  get info(): EmbedderInfo | undefined {
    return this.loaded?.info;
  }

  async embed(
    texts: readonly string[],
    options: { signal?: AbortSignalLike; kind?: 'query' | 'document' } = {},
  ): Promise<Float32Array[]> {
    await this.ready;
    return (this.loaded as Embedder).embed(texts, options);
  }
}
