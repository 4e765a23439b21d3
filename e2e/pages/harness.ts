// What e2e tests reach from page.evaluate: the public SDK, the IndexedDB store contract, and a SharedWorker host.

import { MnemoError, createMemory, type MemoryClient } from 'mnemo';
import { openIdbStore } from '../../src/adapters/idb-store.js';
import { storeContract } from '../../src/adapters/store-contract.js';

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
  /** A memory hosted by the origin's SharedWorker, reached through its MessagePort. */
  connectShared(namespace: string) {
    const worker = new SharedWorker(new URL('../../workers/memory.shared-worker.ts', import.meta.url), {
      type: 'module',
      name: 'mnemo-shared',
    });
    return createMemory({ namespace, endpoint: worker.port });
  },
};

declare global {
  interface Window {
    harness: typeof harness;
  }
}

window.harness = harness;
document.body.dataset['ready'] = 'true';
