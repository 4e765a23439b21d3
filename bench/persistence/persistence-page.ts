// Runs in a dedicated worker started by the page: vectors through the real IndexedDB store and VectorCollection.

import type { InterleavedResult, InterleavedRun, PersistenceRun, PersistenceResult } from './persistence-worker.js';

declare global {
  interface Window {
    runPersistence(run: PersistenceRun): Promise<PersistenceResult>;
    runInterleaved(run: InterleavedRun): Promise<InterleavedResult>;
  }
}

const inWorker = <T>(run: PersistenceRun | InterleavedRun) =>
  new Promise<T>((resolve, reject) => {
    const worker = new Worker(new URL('./persistence-worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<{ result?: T; error?: string }>) => {
      worker.terminate();
      if (event.data.error) reject(new Error(event.data.error));
      else resolve(event.data.result!);
    };
    worker.onerror = (event) => reject(new Error(event.message));
    worker.postMessage(run);
  });

window.runPersistence = (run) => inWorker<PersistenceResult>(run);
window.runInterleaved = (run) => inWorker<InterleavedResult>(run);
document.body.dataset['ready'] = 'true';
