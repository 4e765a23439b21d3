// The page-side memory: typed verbs that call the host over Comlink, with AbortSignal and typed errors.

import type { releaseProxy } from 'comlink';
import type { ListOptions, MemoryStats, RecallHit, RecallOptions } from '../core/api.js';
import type { MemoryMethod } from '../core/api.js';
import { MnemoError } from '../core/errors.js';
import type { MemoryRecord, RememberInput } from '../core/record.js';
import { unwrapResult, type MemoryFacade, type MethodArgs, type MethodResult } from '../protocol/protocol.js';

export interface SignalOption {
  /** Aborting before the call takes effect rejects it with ABORTED; a write already committed still resolves. */
  signal?: AbortSignal;
}

export interface MemoryClient {
  readonly namespace: string;
  remember(input: RememberInput, options?: SignalOption): Promise<MemoryRecord>;
  remember(input: RememberInput[], options?: SignalOption): Promise<MemoryRecord[]>;
  recall(query: string, options?: RecallOptions & SignalOption): Promise<RecallHit[]>;
  get(id: string, options?: SignalOption): Promise<MemoryRecord | undefined>;
  list(options?: ListOptions & SignalOption): Promise<MemoryRecord[]>;
  forget(ids: string | string[], options?: SignalOption): Promise<string[]>;
  stats(options?: SignalOption): Promise<MemoryStats>;
  /** Releases the memory; a worker that `createMemory` started is terminated. Later calls fail with CLOSED. */
  close(): Promise<void>;
}

/** The facade as seen through Comlink: the same methods, plus the release of the proxy. */
export type RemoteFacade = MemoryFacade & { [releaseProxy]: () => void };

export class RemoteMemory implements MemoryClient {
  private nextCall = 1;
  private closed = false;

  constructor(
    readonly namespace: string,
    private readonly facade: RemoteFacade,
    private readonly dispose: () => void,
  ) {}

  remember(input: RememberInput, options?: SignalOption): Promise<MemoryRecord>;
  remember(input: RememberInput[], options?: SignalOption): Promise<MemoryRecord[]>;
  async remember(input: RememberInput | RememberInput[], options?: SignalOption): Promise<MemoryRecord | MemoryRecord[]> {
    const records = await this.invoke('remember', [input], options?.signal);
    return Array.isArray(input) ? records : (records[0] as MemoryRecord);
  }

  recall(query: string, options?: RecallOptions & SignalOption): Promise<RecallHit[]> {
    const [rest, signal] = splitSignal(options);
    return this.invoke('recall', [query, rest], signal);
  }

  get(id: string, options?: SignalOption): Promise<MemoryRecord | undefined> {
    return this.invoke('get', [id], options?.signal);
  }

  list(options?: ListOptions & SignalOption): Promise<MemoryRecord[]> {
    const [rest, signal] = splitSignal(options);
    return this.invoke('list', [rest], signal);
  }

  forget(ids: string | string[], options?: SignalOption): Promise<string[]> {
    return this.invoke('forget', [ids], options?.signal);
  }

  stats(options?: SignalOption): Promise<MemoryStats> {
    return this.invoke('stats', [], options?.signal);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      unwrapResult(await this.facade.close());
    } finally {
      this.dispose();
    }
  }

  private async invoke<M extends MemoryMethod>(method: M, args: MethodArgs<M>, signal?: AbortSignal): Promise<MethodResult<M>> {
    if (this.closed) throw new MnemoError('CLOSED', `The memory "${this.namespace}" is closed.`);
    if (signal?.aborted) throw new MnemoError('ABORTED', 'The call was aborted before it was sent.', { cause: signal.reason });
    const id = this.nextCall++;
    // The host decides whether the abort came in time; the answer it gives is the truth either way.
    const onAbort = () => void this.facade.abort(id);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return unwrapResult<MethodResult<M>>(await this.facade.call(id, method, args));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }
}

function splitSignal<T extends SignalOption>(options: T | undefined): [Omit<T, 'signal'> | undefined, AbortSignal | undefined] {
  if (options === undefined) return [undefined, undefined];
  const { signal, ...rest } = options;
  return [rest, signal];
}
