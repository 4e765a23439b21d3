// The Embedder port over a Comlink endpoint: the memory worker asks a dedicated embedding worker.

import { wrap, type Endpoint, type Remote } from 'comlink';
import { throwIfAborted, type AbortSignalLike } from '../core/abort.js';
import type { EmbedderInfo, EmbeddingOptions } from '../core/api.js';
import type { Embedder } from '../core/ports.js';
import { unwrapResult, type Result } from '../protocol/protocol.js';

/** What the embedding worker exposes; results, not throws, as on the memory wire. */
export interface EmbeddingWorkerApi {
  load(options: EmbeddingOptions): Promise<Result<EmbedderInfo>>;
  embed(texts: readonly string[], kind: 'query' | 'document' | undefined): Promise<Result<Float32Array[]>>;
}

export class RemoteEmbedder implements Embedder {
  readonly model: string;
  readonly dims: number;

  private constructor(
    private readonly remote: Remote<EmbeddingWorkerApi>,
    readonly info: EmbedderInfo,
  ) {
    this.model = info.model;
    this.dims = info.dims;
  }

  /** Loads the model in the worker behind `endpoint`; rejects with the worker's typed error. */
  static async start(endpoint: Endpoint, options: EmbeddingOptions): Promise<RemoteEmbedder> {
    const remote = wrap<EmbeddingWorkerApi>(endpoint);
    const info = unwrapResult<EmbedderInfo>(await remote.load(options));
    return new RemoteEmbedder(remote, info);
  }

  async embed(
    texts: readonly string[],
    options: { signal?: AbortSignalLike; kind?: 'query' | 'document' } = {},
  ): Promise<Float32Array[]> {
    throwIfAborted(options.signal);
    return unwrapResult<Float32Array[]>(await this.remote.embed(texts, options.kind));
  }
}
