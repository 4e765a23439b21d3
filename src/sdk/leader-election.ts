// Leader election among the tabs of an origin with Web Locks: the lock is held for the leader's whole life, and
// the browser releases it when the tab closes or crashes, granting it to the next page in the queue.

export interface Candidacy {
  /** Resolves when this page holds the lock; never, if it resigned first. */
  readonly elected: Promise<void>;
  /** Leaves the queue, or gives the lock up if held. */
  resign(): void;
}

export function webLocksAvailable(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.locks?.request === 'function';
}

/** Queues for the exclusive lock `name`; held until `resign()` or the end of the page. */
export function stand(name: string): Candidacy {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  let win!: () => void;
  const elected = new Promise<void>((resolve) => (win = resolve));
  const queue = new AbortController();
  navigator.locks
    .request(name, { signal: queue.signal }, () => {
      win();
      return held;
    })
    // An abort while queued rejects; nothing else can.
    .catch(() => undefined);
  return {
    elected,
    resign: () => {
      queue.abort();
      release();
    },
  };
}

/** Calls `onGone` once nobody holds `name` (a page's life lock): that page closed or crashed. */
export function whenReleased(name: string, onGone: () => void): () => void {
  const stop = new AbortController();
  navigator.locks.request(name, { signal: stop.signal }, () => onGone()).catch(() => undefined);
  return () => stop.abort();
}
