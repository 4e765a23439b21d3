// The composition root of the browser host: the one place that decides which adapters a runtime gets.

import { openEncryptedStore, type EncryptedStore } from '../src/adapters/encrypted-store.js';
import { openIdbStore } from '../src/adapters/idb-store.js';
import { createUlidGenerator } from '../src/adapters/ulid.js';
import { HashEmbedder } from '../src/core/embedding/hash-embedder.js';
import { PendingEmbedder } from '../src/adapters/pending-embedder.js';
import { PreparedModel, type ModelLoad } from '../src/adapters/prepared-model.js';
import { RemoteEmbedder } from '../src/adapters/remote-embedder.js';
import { checkEmbeddingOptions } from '../src/core/embedding/embedding-options.js';
import { MODEL_REGISTRY } from '../src/core/embedding/model-registry.js';
import type { EmbeddingOptions, ModelLoadProgress } from '../src/core/api.js';
import { MemoryRuntime } from '../src/core/runtime.js';
import { createRegistry } from '../src/host/serve-memory.js';

/** A follower's standby host loads its page's model ahead of a takeover (`HostFacade.prepare`); its open takes it. */
const prepared = new PreparedModel(startEmbeddingWorker);

export const browserRegistry = createRegistry(
  async (namespace, embedding, onProgress, passphrase) => {
    // The model loads in its own worker while the store opens and the indexes are built (the runtime needs only its
    // name and dimensions for that): an open, and a tab taking over from a lost leader, waits for the longer of the
    // two instead of their sum (docs/BENCHMARKS.md, "Tab takeover"). A standby host may have loaded it already.
    const model = embedding ? pendingModel(embedding, onProgress) : undefined;
    try {
      const store = await openStore(namespace, passphrase);
      const runtime = await MemoryRuntime.open({
        namespace,
        store,
        encryption: store,
        clock: { now: () => Date.now() },
        newId: createUlidGenerator(),
        // Without a model the hash embedder keeps the dense path working offline.
        embedder: model?.embedder ?? new HashEmbedder(),
        defer: (task) => setTimeout(task, 0),
        // Consolidation runs by itself after 30 s without a write (the runtime's default).
        schedule: (task, delayMs) => {
          const timer = setTimeout(task, delayMs);
          return () => clearTimeout(timer);
        },
      });
      // As before the overlap, a model that fails to load fails the open.
      await model?.embedder.ready.catch(async (error: unknown) => {
        await runtime.close();
        throw error;
      });
      return runtime;
    } catch (error) {
      model?.dispose();
      throw error;
    }
  },
  (embedding) => prepared.prepare(embedding),
);

/** The model of an open: the one prepared for it if any, else loaded now; known by name and size at once. */
function pendingModel(
  options: EmbeddingOptions,
  onProgress: ((progress: ModelLoadProgress) => void) | undefined,
): { embedder: PendingEmbedder; dispose(): void } {
  const spec = MODEL_REGISTRY[checkEmbeddingOptions(options).model]!;
  const load = prepared.take(options, onProgress);
  return { embedder: new PendingEmbedder(spec.id, spec.dims, load.loading), dispose: () => load.dispose() };
}

/** IndexedDB under the encrypting decorator, which passes rows through as they are until encryption is on. */
async function openStore(namespace: string, passphrase: string | undefined): Promise<EncryptedStore> {
  const idb = await openIdbStore({ namespace });
  try {
    return await openEncryptedStore(idb, { namespace, ...(passphrase !== undefined && { passphrase }) });
  } catch (error) {
    await idb.close();
    throw error;
  }
}

/**
 * The model runs in a worker of its own (a dedicated worker may start one), so embedding never blocks search.
 * A SharedWorker cannot start workers: there the model loads in the host itself.
 */
function startEmbeddingWorker(
  options: EmbeddingOptions,
  onProgress: ((progress: ModelLoadProgress) => void) | undefined,
): ModelLoad {
  const checked = checkEmbeddingOptions(options);
  if (typeof Worker === 'undefined') {
    const loading = import('../src/adapters/browser-embedding.js').then(({ loadBrowserEmbedder }) =>
      loadBrowserEmbedder(checked, onProgress),
    );
    return { loading, dispose: () => undefined };
  }
  const worker = new Worker(new URL('./embedding.worker.ts', import.meta.url), { type: 'module', name: 'mnemo-embedding' });
  return { loading: RemoteEmbedder.start(worker, options, onProgress), dispose: () => worker.terminate() };
}
