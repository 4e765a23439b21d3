// What e2e tests reach from page.evaluate: the public SDK, the IndexedDB store contract, and a SharedWorker host.

import { MnemoError, createMemory, type MemoryClient } from 'mnemo';
import { openIdbStore } from '../../src/adapters/idb-store.js';
import { RemoteEmbedder } from '../../src/adapters/remote-embedder.js';
import type { EmbeddingOptions } from '../../src/core/api.js';
import { sampleRecord, storeContract } from '../../src/adapters/store-contract.js';
import { clusteredVectors } from '../../src/core/vectors/test-vectors.js';
import { VectorCollection } from '../../src/core/vectors/vector-collection.js';

let contractRun = 0;
const opened = new Map<string, Promise<MemoryClient>>();

const harness = {
  createMemory,
  MnemoError,
  /** This page's memory for a namespace, opened on first use and kept open (as an app would). */
  memory(namespace: string): Promise<MemoryClient> {
    let memory = opened.get(namespace);
    if (!memory) opened.set(namespace, (memory = createMemory({ namespace })));
    return memory;
  },
  /** Runs one contract case against a fresh IndexedDB store in this real browser. */
  async runContractCase(name: string): Promise<void> {
    const contractCase = storeContract.find((c) => c.name === name);
    if (!contractCase) throw new Error(`No contract case "${name}"`);
    const store = await openIdbStore({ namespace: `contract-${Date.now()}-${++contractRun}` });
    try {
      await contractCase.run(store);
    } finally {
      await store.close();
    }
  },
  /**
   * Vectors through real IndexedDB: written with their records, compacted into chunks and an HNSW graph
   * snapshot, reopened without a rebuild. Returns what a test compares.
   */
  async vectorRoundTrip(namespace: string) {
    const options = { model: 'e2e', dims: 32, hnswThreshold: 200, hnsw: { seed: 1 } };
    const store = await openIdbStore({ namespace, broadcast: false });
    const collection = await VectorCollection.open(store, options);
    const vectors = clusteredVectors(300, 32, 1);
    const records = vectors.map((_, i) => sampleRecord({ id: `v${i}` }));
    await store.put(
      records,
      vectors.map((vector, i) => ({ id: `v${i}`, model: 'e2e', vector })),
    );
    await store.delete(['v0', 'v1']);
    await collection.catchUp(store);
    collection.promoteStep(() => false);
    await collection.compact(store);
    const queries = clusteredVectors(5, 32, 2);
    const before = queries.map((q) => collection.search(q, 10));
    await store.close();
    const reopenedStore = await openIdbStore({ namespace, broadcast: false });
    const reopened = await VectorCollection.open(reopenedStore, options);
    const after = queries.map((q) => reopened.search(q, 10));
    const logLeft = (await reopenedStore.readVectorLog(0)).entries.length;
    await reopenedStore.close();
    return {
      kind: reopened.kind,
      size: reopened.size,
      same: JSON.stringify(before) === JSON.stringify(after),
      logLeft,
      simd: reopened.simd,
    };
  },
  /** A memory hosted by the origin's SharedWorker, reached through its MessagePort. */
  connectShared(namespace: string) {
    const worker = new SharedWorker(new URL('../../workers/memory.shared-worker.ts', import.meta.url), {
      type: 'module',
      name: 'mnemo-shared',
    });
    return createMemory({ namespace, endpoint: worker.port });
  },
  /** Hand-written Comlink messages to a fresh memory worker (what other script in the page could send); the replies. */
  async probeMemoryWorker(messages: Record<string, unknown>[]): Promise<unknown[]> {
    const worker = new Worker(new URL('../../workers/memory.worker.ts', import.meta.url), { type: 'module' });
    try {
      const replies: unknown[] = [];
      for (const [index, message] of messages.entries()) {
        replies.push(
          await new Promise((resolve) => {
            const id = `probe-${index}`;
            const timer = setTimeout(() => resolve('no reply'), 2000);
            worker.addEventListener('message', function listen(event: MessageEvent<{ id?: string }>) {
              if (event.data?.id !== id) return;
              clearTimeout(timer);
              worker.removeEventListener('message', listen);
              resolve(event.data);
            });
            worker.postMessage({ id, ...message });
          }),
        );
      }
      return replies;
    } finally {
      worker.terminate();
    }
  },
  /** Raw embeddings from a fresh embedding worker, to compare devices. */
  async embedWith(options: EmbeddingOptions, texts: string[]) {
    const worker = new Worker(new URL('../../workers/embedding.worker.ts', import.meta.url), { type: 'module' });
    try {
      const embedder = await RemoteEmbedder.start(worker, options);
      return { info: embedder.info, vectors: (await embedder.embed(texts)).map((v) => Array.from(v)) };
    } finally {
      worker.terminate();
    }
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}

window.harness = harness;
document.body.dataset['ready'] = 'true';
