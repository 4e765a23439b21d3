// The composition root of the browser host: the one place that decides which adapters a runtime gets.

import { openIdbStore } from '../src/adapters/idb-store.js';
import { createUlidGenerator } from '../src/adapters/ulid.js';
import { HashEmbedder } from '../src/core/embedding/hash-embedder.js';
import { MemoryRuntime } from '../src/core/runtime.js';
import { createRegistry } from '../src/host/serve-memory.js';

export const browserRegistry = createRegistry(async (namespace) =>
  MemoryRuntime.open({
    namespace,
    store: await openIdbStore({ namespace }),
    clock: { now: () => Date.now() },
    newId: createUlidGenerator(),
    // Until a model is configured (the embedding issue), the hash embedder keeps the dense path working offline.
    embedder: new HashEmbedder(),
    defer: (task) => setTimeout(task, 0),
    // Consolidation runs by itself after 30 s without a write (the runtime's default).
    schedule: (task, delayMs) => {
      const timer = setTimeout(task, delayMs);
      return () => clearTimeout(timer);
    },
  }),
);
