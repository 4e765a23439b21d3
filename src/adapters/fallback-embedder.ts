// An embedder that moves to a fallback device when its own fails at run time (a lost or broken WebGPU
// device): the failing call is retried on the fallback, and `info` says what happened.

import type { AbortSignalLike } from '../core/abort.js';
import type { EmbedderInfo } from '../core/api.js';
import { MnemoError } from '../core/errors.js';
import type { Embedder } from '../core/ports.js';

export type InfoEmbedder = Embedder & { readonly info: EmbedderInfo };

export class FallbackEmbedder implements Embedder {
  readonly model: string;
  readonly dims: number;
  private current: InfoEmbedder;
  private switching: Promise<InfoEmbedder> | undefined;

  constructor(
    primary: InfoEmbedder,
    private readonly loadFallback: (why: string) => Promise<InfoEmbedder>,
  ) {
    this.current = primary;
    this.model = primary.model;
    this.dims = primary.dims;
  }

  get info(): EmbedderInfo {
    return this.current.info;
  }

  async embed(
    texts: readonly string[],
    options: { signal?: AbortSignalLike; kind?: 'query' | 'document' } = {},
  ): Promise<Float32Array[]> {
    const used = this.current;
    try {
      return await used.embed(texts, options);
    } catch (error) {
      // An abort is the caller's, and a fallback embedder has no fallback of its own.
      if ((error instanceof MnemoError && error.code === 'ABORTED') || used.info.device !== 'webgpu') throw error;
      const why = error instanceof Error ? error.message : String(error);
      this.switching ??= this.loadFallback(why).then((fallback) => {
        if (fallback.model !== this.model || fallback.dims !== this.dims) {
          throw new MnemoError(
            'INTERNAL',
            `The fallback embedder is ${fallback.model}/${fallback.dims}, not ${this.model}/${this.dims}.`,
          );
        }
        return (this.current = fallback);
      });
      return (await this.switching).embed(texts, options);
    }
  }
}
