// One runtime per namespace inside a host, shared by its connections and closed when the last one leaves.

import type { EmbeddingOptions, ModelLoadProgress } from '../core/api.js';
import type { MemoryRuntime } from '../core/runtime.js';

/** Opens the runtime of a namespace; `embedding` is what the first connection asked for. */
export type OpenRuntime = (
  namespace: string,
  embedding: EmbeddingOptions | undefined,
  onProgress: ((progress: ModelLoadProgress) => void) | undefined,
) => Promise<MemoryRuntime>;

export class RuntimeRegistry {
  private readonly entries = new Map<string, { runtime: Promise<MemoryRuntime>; users: number }>();

  constructor(private readonly openRuntime: OpenRuntime) {}

  /** The first connection to a namespace picks its embedding model; later ones share that runtime. */
  async acquire(
    namespace: string,
    embedding?: EmbeddingOptions,
    onProgress?: (progress: ModelLoadProgress) => void,
  ): Promise<MemoryRuntime> {
    let entry = this.entries.get(namespace);
    if (!entry) {
      entry = { runtime: this.openRuntime(namespace, embedding, onProgress), users: 0 };
      this.entries.set(namespace, entry);
      // A failed open is forgotten, so the next acquire tries again.
      entry.runtime.catch(() => this.entries.delete(namespace));
    }
    entry.users++;
    try {
      return await entry.runtime;
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
