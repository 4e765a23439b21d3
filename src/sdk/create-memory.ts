// createMemory(): starts (or connects to) a memory host and opens one namespace in it.

import { proxy, releaseProxy, wrap, type Endpoint } from 'comlink';
import type { EmbeddingOptions, ModelLoadProgress } from '../core/api.js';
import { MnemoError, toMnemoError } from '../core/errors.js';
import { checkNamespace, checkOptions, invalid } from '../core/validate.js';
import { PROTOCOL_VERSION, unwrapResult } from '../protocol/protocol.js';
import { RemoteMemory, type MemoryClient, type RemoteFacade } from './memory-client.js';

export interface CreateMemoryOptions {
  /** Separates users or agents of one origin; letters, digits and "_.:-". */
  namespace: string;
  /**
   * Where the memory host runs. Default: a dedicated worker started here. Pass a Worker, a MessagePort
   * (a SharedWorker's port, an extension's offscreen document) or any Comlink endpoint already serving it.
   */
  endpoint?: Worker | MessagePort | Endpoint;
  /**
   * The embedding model (a `MODEL_REGISTRY` id), the device ('auto': WebGPU on a hardware adapter, else WASM)
   * and where its files come from. Without it, the hash embedder: no download, spelling not meaning.
   */
  embedding?: EmbeddingOptions;
  /** Hears how loading the embedding model goes: bytes downloaded, compiling, ready. */
  onModelProgress?: (progress: ModelLoadProgress) => void;
  signal?: AbortSignal;
}

export async function createMemory(options: CreateMemoryOptions): Promise<MemoryClient> {
  const opts = checkOptions(options, ['namespace', 'endpoint', 'embedding', 'onModelProgress', 'signal'], 'options');
  if (opts['namespace'] === undefined) throw invalid('options.namespace', 'is required');
  checkNamespace(opts['namespace']);
  if (opts['onModelProgress'] !== undefined && typeof opts['onModelProgress'] !== 'function') {
    throw invalid('options.onModelProgress', 'must be a function');
  }
  const signal = options.signal;
  if (signal?.aborted) throw new MnemoError('ABORTED', 'createMemory was aborted.', { cause: signal.reason });

  const ownWorker = options.endpoint === undefined ? startWorker() : undefined;
  const endpoint = ownWorker ?? (options.endpoint as Endpoint);
  // Every facade method already returns a promise of plain data, so Comlink's Remote<> adds nothing but noise.
  const facade = wrap(endpoint) as unknown as RemoteFacade;
  const dispose = () => {
    facade[releaseProxy]();
    ownWorker?.terminate();
  };

  const onModelProgress = options.onModelProgress;
  const opening = facade.open(
    {
      protocol: PROTOCOL_VERSION,
      namespace: options.namespace,
      ...(options.embedding !== undefined && { embedding: options.embedding }),
    },
    onModelProgress && proxy(onModelProgress),
  );
  try {
    const watched = ownWorker ?? (typeof Worker !== 'undefined' && endpoint instanceof Worker ? endpoint : undefined);
    const info = unwrapResult<{ namespace: string }>(await race(opening, watched, signal));
    return new RemoteMemory(info.namespace, facade, dispose);
  } catch (error) {
    if (ownWorker) dispose();
    // A shared host may still finish opening after an abort: close that connection once it has.
    else void opening.then((result) => (result.ok ? facade.close() : undefined)).finally(dispose);
    throw toMnemoError(error);
  }
}

function startWorker(): Worker {
  return new Worker(new URL('../../workers/memory.worker.ts', import.meta.url), { type: 'module', name: 'mnemo-memory' });
}

/** Resolves with `task`, unless the worker fails to start (a script error, a bad URL) or the caller aborts first. */
function race<T>(task: Promise<T>, worker: Worker | undefined, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onError = (event: ErrorEvent | Event) => {
      const detail = event instanceof ErrorEvent && event.message ? `: ${event.message}` : '';
      reject(new MnemoError('WORKER_FAILURE', `The memory worker failed to start${detail}`));
    };
    const onAbort = () => reject(new MnemoError('ABORTED', 'createMemory was aborted.', { cause: signal?.reason }));
    worker?.addEventListener('error', onError);
    worker?.addEventListener('messageerror', onError);
    signal?.addEventListener('abort', onAbort, { once: true });
    task.then(resolve, reject).finally(() => {
      worker?.removeEventListener('error', onError);
      worker?.removeEventListener('messageerror', onError);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}
