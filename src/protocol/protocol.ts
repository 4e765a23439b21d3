// The wire between the SDK and a memory host: plain data only, errors as data, since Comlink drops error fields.

import type {
  ConsolidateOptions,
  ConsolidationReport,
  EmbeddingOptions,
  MemoryApi,
  MemoryMethod,
  ModelLoadProgress,
} from '../core/api.js';
import { MnemoError, toMnemoError, type SerializedError } from '../core/errors.js';

/** Bumped when the wire changes incompatibly; the host refuses a client of another version. */
export const PROTOCOL_VERSION = 1;

export type Result<T> = { ok: true; value: T } | { ok: false; error: SerializedError };

export type CallId = number;

export interface OpenRequest {
  protocol: number;
  namespace: string;
  /** The embedding model; without it the host's default (the hash embedder). */
  embedding?: EmbeddingOptions;
  /** Unlocks an encrypted namespace, or turns encryption on for a plaintext one. Never stored or logged. */
  encryption?: { passphrase: string };
}

export interface OpenedInfo {
  namespace: string;
  records: number;
}

export type MethodArgs<M extends MemoryMethod> = Parameters<MemoryApi[M]>;
export type MethodResult<M extends MemoryMethod> = Awaited<ReturnType<MemoryApi[M]>>;

/** What a host exposes over Comlink, one facade per connection. */
export interface MemoryFacade {
  /** `onModelProgress` (a Comlink proxy) hears how loading the embedding model goes. */
  open(request: OpenRequest, onModelProgress?: (progress: ModelLoadProgress) => unknown): Promise<Result<OpenedInfo>>;
  call<M extends MemoryMethod>(id: CallId, method: M, args: MethodArgs<M>): Promise<Result<MethodResult<M>>>;
  /**
   * `consolidate` with callbacks that live in the page, passed as Comlink proxies: the app's language model
   * and a progress listener. A call like any other otherwise (same ids, same abort).
   */
  consolidateWith(
    id: CallId,
    options: ConsolidateOptions | undefined,
    llm: ((prompt: string) => Promise<string>) | undefined,
    onProgress: ((report: ConsolidationReport) => unknown) | undefined,
  ): Promise<Result<ConsolidationReport>>;
  /** Aborts call `id` if it has not yet taken effect; the call then answers ABORTED. */
  abort(id: CallId): void;
  close(): Promise<Result<void>>;
}

/**
 * What a memory host's connection serves: the facade, plus `prepare`, which the SDK's tab coordination alone calls
 * on a follower's standby host (never on a host serving a memory). It loads the embedding model of `embedding` and
 * keeps it for this host's next `open` with the same options, so a tab taking over from a lost leader does not wait
 * for the model; it reads and writes no store. Resolves once the model is loaded, or with its load's error (an open
 * then loads the model again, as without it).
 */
export interface HostFacade extends MemoryFacade {
  prepare(embedding: EmbeddingOptions): Promise<Result<void>>;
}

/** Runs `task`, turning any throw into an error result: nothing is thrown across the wire. */
export async function toResult<T>(task: () => Promise<T>): Promise<Result<T>> {
  try {
    return { ok: true, value: await task() };
  } catch (error) {
    return { ok: false, error: toMnemoError(error).toJSON() };
  }
}

/** The value of a result, or its error rebuilt as a MnemoError with the same code. */
export function unwrapResult<T>(result: unknown): T {
  if (typeof result !== 'object' || result === null || !('ok' in result)) {
    throw new MnemoError('PROTOCOL_ERROR', 'The memory host answered with something that is not a result.');
  }
  const typed = result as Result<T>;
  if (typed.ok) return typed.value;
  throw MnemoError.fromJSON(typed.error);
}
