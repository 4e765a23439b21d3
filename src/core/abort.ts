// Cancellation without the DOM: the structural part of AbortSignal the core relies on.

import { MnemoError } from './errors.js';

/** Any real AbortSignal satisfies this; the core compiles without DOM or Node types. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/** Throws ABORTED if the caller has aborted; called between the steps of a long call, never after a commit. */
export function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) {
    throw new MnemoError('ABORTED', 'The call was aborted before it took effect.', { cause: signal.reason });
  }
}
