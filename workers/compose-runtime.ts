// The composition root of the browser host: the one place that decides which adapters a runtime gets.

import { openEncryptedStore, type EncryptedStore } from '../src/adapters/encrypted-store.js';
import { openIdbStore } from '../src/adapters/idb-store.js';
import { createUlidGenerator } from '../src/adapters/ulid.js';
import { HashEmbedder } from '../src/core/embedding/hash-embedder.js';
import { RemoteEmbedder } from '../src/adapters/remote-embedder.js';
import { checkEmbeddingOptions } from '../src/core/embedding/embedding-options.js';
import type { EmbeddingOptions, ModelLoadProgress } from '../src/core/api.js';
import type { Embedder } from '../src/core/ports.js';
import { MemoryRuntime } from '../src/core/runtime.js';
import { createRegistry } from '../src/host/serve-memory.js';

export const browserRegistry = createRegistry(async (namespace, embedding, onProgress, passphrase) => {
  const store = await openStore(namespace, passphrase);
  return MemoryRuntime.open({
    namespace,
    store,
    encryption: store,
    clock: { now: () => Date.now() },
    newId: createUlidGenerator(),
    // Without a model the hash embedder keeps the dense path working offline.
    embedder: embedding ? await startEmbeddingWorker(embedding, onProgress) : new HashEmbedder(),
    defer: (task) => setTimeout(task, 0),
    // Consolidation runs by itself after 30 s without a write (the runtime's default).
    schedule: (task, delayMs) => {
      const timer = setTimeout(task, delayMs);
      return () => clearTimeout(timer);
    },
  });
});

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
async function startEmbeddingWorker(
  options: EmbeddingOptions,
  onProgress: ((progress: ModelLoadProgress) => void) | undefined,
): Promise<Embedder> {
  if (typeof Worker === 'undefined') {
    const { loadBrowserEmbedder } = await import('../src/adapters/browser-embedding.js');
    return loadBrowserEmbedder(checkEmbeddingOptions(options), onProgress);
  }
  const worker = new Worker(new URL('./embedding.worker.ts', import.meta.url), { type: 'module', name: 'mnemo-embedding' });
  try {
    return await RemoteEmbedder.start(worker, options, onProgress);
  } catch (error) {
    worker.terminate();
    throw error;
  }
}
