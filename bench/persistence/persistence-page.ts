// Runs in a dedicated worker started by the page: vectors through the real IndexedDB store and VectorCollection.

import type { PersistenceRun, PersistenceResult } from './persistence-worker.js';

declare global {
  interface Window {
    runPersistence(run: PersistenceRun): Promise<PersistenceResult>;
  }
}

window.runPersistence = (run) =>
  new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./persistence-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ result?: PersistenceResult; error?: string }>) => {
      worker.terminate();
      if (event.data.error) reject(new Error(event.data.error));
      else resolve(event.data.result!);
    };
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(run);
  });
document.body.dataset['ready'] = 'true';
