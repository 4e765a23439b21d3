// The Embedder port over a Comlink endpoint: the memory worker asks a dedicated embedding worker.

import { proxy, wrap, type Endpoint, type Remote } from 'comlink';
import { throwIfAborted, type AbortSignalLike } from '../core/abort.js';
import type { EmbedderInfo, EmbeddingOptions, ModelLoadProgress } from '../core/api.js';
import type { Embedder } from '../core/ports.js';
import { unwrapResult, type Result } from '../protocol/protocol.js';

/** What the embedding worker exposes; results, not throws, as on the memory wire. */
export interface EmbeddingWorkerApi {
  load(options: EmbeddingOptions, onProgress?: (progress: ModelLoadProgress) => unknown): Promise<Result<EmbedderInfo>>;
  /** The vectors, and the embedder's info as it is now (a run-time fallback changes its device). */
  embed(
    texts: readonly string[],
    kind: 'query' | 'document' | undefined,
  ): Promise<Result<{ vectors: Float32Array[]; info: EmbedderInfo }>>;
}

export class RemoteEmbedder implements Embedder {
  readonly model: string;
  readonly dims: number;

  private constructor(
    private readonly remote: Remote<EmbeddingWorkerApi>,
    public info: EmbedderInfo,
  ) {
    this.model = info.model;
    this.dims = info.dims;
  }

  /** Loads the model in the worker behind `endpoint`; rejects with the worker's typed error. */
  static async start(
    endpoint: Endpoint,
    options: EmbeddingOptions,
    onProgress?: (progress: ModelLoadProgress) => unknown,
  ): Promise<RemoteEmbedder> {
    const remote = wrap<EmbeddingWorkerApi>(endpoint);
    // Functions cross as Comlink proxies; the worker calls back with each progress event.
    const info = unwrapResult<EmbedderInfo>(await remote.load(options, onProgress && proxy(onProgress)));
    return new RemoteEmbedder(remote, info);
  }

  async embed(
    texts: readonly string[],
    options: { signal?: AbortSignalLike; kind?: 'query' | 'document' } = {},
  ): Promise<Float32Array[]> {
    throwIfAborted(options.signal);
    const { vectors, info } = unwrapResult<{ vectors: Float32Array[]; info: EmbedderInfo }>(
      await this.remote.embed(texts, options.kind),
    );
    this.info = info;
    return vectors;
  }
}
