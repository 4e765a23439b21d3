// One runtime per namespace inside a host, shared by its connections and closed when the last one leaves.

import type { EmbeddingOptions, ModelLoadProgress } from '../core/api.js';
import type { MemoryRuntime } from '../core/runtime.js';

/**
 * Opens the runtime of a namespace; `embedding` is what the first connection asked for, `passphrase` unlocks
 * an encrypted namespace (or turns encryption on).
 */
export type OpenRuntime = (
  namespace: string,
  embedding: EmbeddingOptions | undefined,
  onProgress: ((progress: ModelLoadProgress) => void) | undefined,
  passphrase?: string,
) => Promise<MemoryRuntime>;

/**
 * Loads an embedding model ahead of any open and keeps it for the host's next open with the same options (see
 * `HostFacade.prepare`); it must touch no store. Resolves once the model is loaded, rejects with its load's error.
 */
export type PrepareModel = (embedding: EmbeddingOptions) => Promise<void>;

export class RuntimeRegistry {
  private readonly entries = new Map<string, { runtime: Promise<MemoryRuntime>; users: number }>();

  constructor(
    private readonly openRuntime: OpenRuntime,
    private readonly prepareModel?: PrepareModel,
  ) {}

  /** Loads a model for a later open, where the host can (else does nothing): no namespace is opened. */
  async prepare(embedding: EmbeddingOptions): Promise<void> {
    await this.prepareModel?.(embedding);
  }

  /** The first connection to a namespace picks its embedding model; later ones share that runtime. */
  async acquire(
    namespace: string,
    embedding?: EmbeddingOptions,
    onProgress?: (progress: ModelLoadProgress) => void,
    passphrase?: string,
  ): Promise<MemoryRuntime> {
    let entry = this.entries.get(namespace);
    const first = !entry;
    if (!entry) {
      entry = { runtime: this.openRuntime(namespace, embedding, onProgress, passphrase), users: 0 };
      this.entries.set(namespace, entry);
      // A failed open is forgotten, so the next acquire tries again.
      entry.runtime.catch(() => this.entries.delete(namespace));
    }
    entry.users++;
    try {
      const runtime = await entry.runtime;
      // A later connection to an encrypted memory must know its passphrase too.
      if (!first) await runtime.admit(passphrase);
      return runtime;
    } catch (error) {
      entry.users--;
      throw error;
    }
  }

  async release(namespace: string): Promise<void> {
    const entry = this.entries.get(namespace);
    if (!entry || --entry.users > 0) return;
    this.entries.delete(namespace);
    await (await entry.runtime).close();
  }
}
