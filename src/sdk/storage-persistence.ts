// Asks the browser to keep this origin's storage when the disk runs low (navigator.storage.persist()). Only a
// page can ask: a worker has persisted() but not persist(). The answer shows in stats().storage.persisted.

/** True when storage is (now) persistent, false when the browser declined, undefined where it cannot be asked. */
export async function requestPersistence(): Promise<boolean | undefined> {
  const storage = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (typeof storage?.persist !== 'function') return undefined;
  try {
    // Chromium decides without a prompt (by site engagement, installation); Firefox may ask the user once.
    return (await storage.persisted()) || (await storage.persist());
  } catch {
    return undefined; // an opaque origin or a sandboxed frame: nothing to ask
  }
}
