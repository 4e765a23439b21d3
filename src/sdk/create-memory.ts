// createMemory(): starts (or connects to) a memory host and opens one namespace in it.

import { proxy, releaseProxy, wrap, type Endpoint } from 'comlink';
import type { EmbeddingOptions, ModelLoadProgress } from '../core/api.js';
import { MnemoError, toMnemoError } from '../core/errors.js';
import { checkNamespace, checkOptions, invalid } from '../core/validate.js';
import { PROTOCOL_VERSION, unwrapResult } from '../protocol/protocol.js';
import { webLocksAvailable } from './leader-election.js';
import { RemoteMemory, type MemoryClient, type RemoteFacade } from './memory-client.js';
import { requestPersistence } from './storage-persistence.js';
import { TabFacade, type CoordinationEvent, type OwnHost } from './tab-facade.js';

export type Coordination = 'shared-worker' | 'leader' | 'none';
const COORDINATIONS: readonly Coordination[] = ['shared-worker', 'leader', 'none'];

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
  /**
   * Encryption at rest: the passphrase unlocks an encrypted namespace, or turns encryption on for a new or
   * plaintext one (LOCKED without it, WRONG_PASSPHRASE if wrong). Mnemo never stores it.
   */
  encryption?: { passphrase: string };
  /**
   * How the tabs of the origin share the memory (without `endpoint`). 'leader' (default): one tab, elected with
   * Web Locks, runs the worker and serves the others over a BroadcastChannel; when it closes or crashes the next
   * tab takes over. 'shared-worker': one SharedWorker serves every tab (the embedding model then loads in it).
   * 'none': each page runs its own worker over the shared database. Without SharedWorker, 'leader'; without Web
   * Locks or BroadcastChannel, 'none'.
   */
  coordination?: Coordination;
  /** Hears which tab leads and, in the leader, each call it served ('leader' coordination): for diagnostics. */
  onCoordination?: (event: CoordinationEvent) => void;
  /**
   * 'leader' coordination with an embedding model: the tab next in line for the lead loads the model before it is
   * needed, so a takeover serves within about a second instead of after the model's load (default true). That tab
   * holds a second copy of the model meanwhile (about 120 MB with the test model); false saves it.
   */
  prepareNextLeader?: boolean;
  signal?: AbortSignal;
}

export async function createMemory(options: CreateMemoryOptions): Promise<MemoryClient> {
  const opts = checkOptions(
    options,
    [
      'namespace',
      'endpoint',
      'embedding',
      'onModelProgress',
      'encryption',
      'coordination',
      'onCoordination',
      'prepareNextLeader',
      'signal',
    ],
    'options',
  );
  if (opts['namespace'] === undefined) throw invalid('options.namespace', 'is required');
  checkNamespace(opts['namespace']);
  if (opts['onModelProgress'] !== undefined && typeof opts['onModelProgress'] !== 'function') {
    throw invalid('options.onModelProgress', 'must be a function');
  }
  if (opts['onCoordination'] !== undefined && typeof opts['onCoordination'] !== 'function') {
    throw invalid('options.onCoordination', 'must be a function');
  }
  if (opts['prepareNextLeader'] !== undefined && typeof opts['prepareNextLeader'] !== 'boolean') {
    throw invalid('options.prepareNextLeader', 'must be a boolean');
  }
  if (opts['encryption'] !== undefined) {
    // Checked here too, so a bad passphrase fails before a worker starts; its value is never echoed.
    const passphrase = checkOptions(opts['encryption'], ['passphrase'], 'options.encryption')['passphrase'];
    if (typeof passphrase !== 'string' || passphrase.length === 0) {
      throw invalid('options.encryption.passphrase', 'must be a non-empty string');
    }
  }
  const coordination = chooseCoordination(options);
  const signal = options.signal;
  if (signal?.aborted) throw new MnemoError('ABORTED', 'createMemory was aborted.', { cause: signal.reason });

  const tabs =
    coordination === 'leader'
      ? new TabFacade({
          namespace: options.namespace,
          startHost: startOwnHost,
          onCoordination: options.onCoordination,
          prepareNext: options.prepareNextLeader ?? true,
        })
      : undefined;
  const sharedWorker = coordination === 'shared-worker' ? startSharedWorker() : undefined;
  const ownWorker = options.endpoint === undefined && coordination === 'none' ? startWorker() : undefined;
  const endpoint = ownWorker ?? sharedWorker?.port ?? (options.endpoint as Endpoint);
  // Every facade method already returns a promise of plain data, so Comlink's Remote<> adds nothing but noise.
  const facade = tabs ?? (wrap(endpoint) as unknown as RemoteFacade);
  const dispose = () => {
    facade[releaseProxy]();
    ownWorker?.terminate();
  };

  // Asked while the host opens; awaited before the memory is handed out, so stats() reports the answer.
  const persistence = requestPersistence();
  const onModelProgress = options.onModelProgress;
  const opening = facade.open(
    {
      protocol: PROTOCOL_VERSION,
      namespace: options.namespace,
      ...(options.embedding !== undefined && { embedding: options.embedding }),
      ...(options.encryption !== undefined && { encryption: options.encryption }),
    },
    onModelProgress && proxy(onModelProgress),
  );
  try {
    const watched =
      ownWorker ?? sharedWorker ?? (typeof Worker !== 'undefined' && endpoint instanceof Worker ? endpoint : undefined);
    const info = unwrapResult<{ namespace: string }>(await race(opening, watched, signal));
    await persistence;
    return new RemoteMemory(info.namespace, facade, dispose);
  } catch (error) {
    if (ownWorker) dispose();
    // A tab that did not get to lead or follow leaves the election (and closes a host it may still start).
    else if (tabs) void tabs.close();
    // A shared host may still finish opening after an abort: close that connection once it has.
    else void opening.then((result) => (result.ok ? facade.close() : undefined)).finally(dispose);
    throw toMnemoError(error);
  }
}

function chooseCoordination(options: CreateMemoryOptions): Coordination {
  const asked = options.coordination;
  if (asked !== undefined && !COORDINATIONS.includes(asked)) {
    throw invalid('options.coordination', `must be one of ${COORDINATIONS.join(', ')}`);
  }
  if (asked !== undefined && options.endpoint !== undefined) {
    throw invalid('options.coordination', 'cannot be combined with an endpoint');
  }
  if (asked === 'shared-worker' && typeof SharedWorker !== 'undefined') return 'shared-worker';
  if (asked === 'none' || options.endpoint !== undefined) return 'none';
  // The default, like 'leader' and 'shared-worker' without SharedWorker: one writer per origin where it can be had.
  return webLocksAvailable() && typeof BroadcastChannel !== 'undefined' ? 'leader' : 'none';
}

function startWorker(): Worker {
  return new Worker(new URL('../../workers/memory.worker.ts', import.meta.url), { type: 'module', name: 'mnemo-memory' });
}

function startSharedWorker(): SharedWorker {
  return new SharedWorker(new URL('../../workers/memory.shared-worker.ts', import.meta.url), {
    type: 'module',
    name: 'mnemo-shared',
  });
}

/** The worker a leading tab runs for all of them. */
function startOwnHost(): OwnHost {
  const worker = startWorker();
  const facade = wrap(worker) as unknown as OwnHost['facade'];
  const failed = new Promise<never>((_resolve, reject) => {
    worker.addEventListener('error', (event) => reject(workerFailure(event)), { once: true });
  });
  failed.catch(() => undefined);
  return {
    facade,
    failed,
    connect: () => {
      // The worker serves each port it is sent as one more connection (see workers/memory.worker.ts).
      const { port1, port2 } = new MessageChannel();
      worker.postMessage({ type: 'mnemo-connect' }, [port1]);
      return wrap(port2) as unknown as RemoteFacade;
    },
    dispose: () => {
      facade[releaseProxy]();
      worker.terminate();
    },
  };
}

function workerFailure(event: ErrorEvent | Event): MnemoError {
  const detail = event instanceof ErrorEvent && event.message ? `: ${event.message}` : '';
  return new MnemoError('WORKER_FAILURE', `The memory worker failed to start${detail}`);
}

/** Resolves with `task`, unless the worker fails to start (a script error, a bad URL) or the caller aborts first. */
function race<T>(task: Promise<T>, worker: EventTarget | undefined, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onError = (event: ErrorEvent | Event) => reject(workerFailure(event));
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
