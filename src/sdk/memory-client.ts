// The page-side memory: typed verbs that call the host over Comlink, with AbortSignal and typed errors.

import { proxy, type releaseProxy } from 'comlink';
import type {
  ArchiveInput,
  ArchivedDocument,
  BuiltContext,
  ConsolidateOptions,
  ConsolidationReport,
  ContextOptions,
  FactInput,
  FactListOptions,
  FactResult,
  ForgetFilter,
  ForgetOptions,
  ImportResult,
  Instant,
  ListOptions,
  MemoryMethod,
  MemoryStats,
  RecallHit,
  RecallOptions,
  RecentOptions,
  ReembedReport,
  ToolCall,
  ToolDefinition,
  ToolOptions,
  ToolResult,
  WorkingBlock,
  WorkingBlockInput,
} from '../core/api.js';
import { MnemoError } from '../core/errors.js';
import type { IntegrityReport } from '../core/integrity.js';
import type { ForgetAuditEntry } from '../core/ports.js';
import type { MemoryRecord, RememberInput } from '../core/record.js';
import { unwrapResult, type MemoryFacade, type MethodArgs, type MethodResult } from '../protocol/protocol.js';

export interface SignalOption {
  /** Aborting before the call takes effect rejects it with ABORTED; a write already committed still resolves. */
  signal?: AbortSignal;
}

export interface WorkingApi {
  list(options?: SignalOption): Promise<WorkingBlock[]>;
  get(label: string, options?: SignalOption): Promise<WorkingBlock | undefined>;
  /** Creates or overwrites a block; `force` lets the app overwrite a read-only one. */
  set(label: string, block: WorkingBlockInput, options?: { force?: boolean } & SignalOption): Promise<WorkingBlock>;
  append(label: string, text: string, options?: SignalOption): Promise<WorkingBlock>;
  replace(label: string, oldText: string, newText: string, options?: SignalOption): Promise<WorkingBlock>;
  delete(label: string, options?: { force?: boolean } & SignalOption): Promise<boolean>;
}

export interface FactsApi {
  add(fact: FactInput, options?: SignalOption): Promise<FactResult>;
  update(id: string, fact: FactInput, options?: SignalOption): Promise<FactResult>;
  invalidate(id: string, options?: { at?: Instant } & SignalOption): Promise<MemoryRecord>;
  list(options?: FactListOptions & SignalOption): Promise<MemoryRecord[]>;
  history(id: string, options?: SignalOption): Promise<MemoryRecord[]>;
}

export interface InstructionsApi {
  add(text: string, options?: { tags?: string[]; importance?: number } & SignalOption): Promise<MemoryRecord>;
  list(options?: SignalOption): Promise<MemoryRecord[]>;
}

export interface ArchiveApi {
  add(document: ArchiveInput, options?: SignalOption): Promise<ArchivedDocument>;
}

/** Encryption at rest (see `createMemory({ encryption })`); `stats().encryption` says whether it is on. */
export interface EncryptionApi {
  /**
   * Turns encryption on, sealing everything stored, in one transaction; slow (a key derivation, then every
   * row). On an encrypted memory it only checks the passphrase. There is no way back to plaintext.
   */
  enable(passphrase: string, options?: SignalOption): Promise<void>;
  /** Rewraps the data key under `newPassphrase`; WRONG_PASSPHRASE if `oldPassphrase` is wrong. */
  changePassphrase(oldPassphrase: string, newPassphrase: string, options?: SignalOption): Promise<void>;
}

export interface ConsolidateCallbacks {
  llm?: (prompt: string) => Promise<string>;
  onProgress?: (report: ConsolidationReport) => void;
}

export interface MemoryClient {
  readonly namespace: string;
  readonly working: WorkingApi;
  readonly facts: FactsApi;
  /** Procedural memory: standing instructions and preferences. */
  readonly instructions: InstructionsApi;
  readonly archive: ArchiveApi;
  readonly encryption: EncryptionApi;
  remember(input: RememberInput, options?: SignalOption): Promise<MemoryRecord>;
  remember(input: RememberInput[], options?: SignalOption): Promise<MemoryRecord[]>;
  recall(query: string, options?: RecallOptions & SignalOption): Promise<RecallHit[]>;
  get(id: string, options?: SignalOption): Promise<MemoryRecord | undefined>;
  list(options?: ListOptions & SignalOption): Promise<MemoryRecord[]>;
  /** Complete deletion of records by id, or of every record matching a filter. */
  forget(target: string | string[] | ForgetFilter, options?: ForgetOptions & SignalOption): Promise<string[]>;
  stats(options?: SignalOption): Promise<MemoryStats>;
  /** Short-term memory: the newest turns of a session within a token budget, oldest first. */
  recent(sessionId: string, options?: RecentOptions & SignalOption): Promise<MemoryRecord[]>;
  context(query: string, options?: ContextOptions & SignalOption): Promise<BuiltContext>;
  /**
   * The sleep-time pass. `llm`: the app's language model (any `(prompt) => Promise<string>`, such as WebLLM or
   * a remote API); facts and summaries then come from it, and malformed answers are refused. `onProgress` gets
   * the report so far after each batch.
   */
  consolidate(options?: ConsolidateOptions & ConsolidateCallbacks & SignalOption): Promise<ConsolidationReport>;
  /** JSON-schema tool definitions for a function-calling LLM. */
  tools(options?: SignalOption): Promise<ToolDefinition[]>;
  executeTool(call: ToolCall, options?: ToolOptions & SignalOption): Promise<ToolResult>;
  /** Embeds records stored before a model change with the current model (also runs by itself after opening). */
  reembed(options?: SignalOption): Promise<ReembedReport>;
  /** A versioned JSON Lines backup of this namespace. */
  export(options?: SignalOption): Promise<string>;
  /** Restores a backup into this namespace, which must be empty. */
  import(jsonl: string, options?: SignalOption): Promise<ImportResult>;
  /** Checks every stored record, and that the lexical and vector indexes (HNSW graph included) agree with them. */
  checkIntegrity(options?: SignalOption): Promise<IntegrityReport>;
  /**
   * Clears `stats().dataLoss` (the browser deleted the memory's database as corrupt and it started empty) once
   * the app has told the user; resolves true if there was a report. The report survives reloads until then.
   */
  acknowledgeDataLoss(options?: SignalOption): Promise<boolean>;
  /**
   * Deletes quarantined records (rows found unreadable, `stats().quarantine`) for good, those of `ids` or all;
   * resolves the ids deleted. They still hold whatever text they held: forgetting everything includes this.
   */
  purgeQuarantine(ids?: string | string[], options?: SignalOption): Promise<string[]>;
  /** The audit log of forgets, oldest first: when, how many, and hex SHA-256 of "namespace\u0000id" for each. */
  forgetLog(options?: SignalOption): Promise<ForgetAuditEntry[]>;
  /** Releases the memory; a worker that `createMemory` started is terminated. Later calls fail with CLOSED. */
  close(): Promise<void>;
}

/** The facade as seen through Comlink: the same methods, plus the release of the proxy. */
export type RemoteFacade = MemoryFacade & { [releaseProxy]: () => void };

export class RemoteMemory implements MemoryClient {
  private nextCall = 1;
  private closed = false;
  readonly working: WorkingApi;
  readonly facts: FactsApi;
  readonly instructions: InstructionsApi;
  readonly archive: ArchiveApi;
  readonly encryption: EncryptionApi;

  constructor(
    readonly namespace: string,
    private readonly facade: RemoteFacade,
    private readonly dispose: () => void,
  ) {
    this.working = Object.freeze({
      list: (o?: SignalOption) => this.invoke('workingList', [], o?.signal),
      get: (label: string, o?: SignalOption) => this.invoke('workingGet', [label], o?.signal),
      set: (label: string, block: WorkingBlockInput, o?: { force?: boolean } & SignalOption) => {
        const [rest, signal] = splitSignal(o);
        return this.invoke('workingSet', [label, block, rest], signal);
      },
      append: (label: string, text: string, o?: SignalOption) => this.invoke('workingAppend', [label, text], o?.signal),
      replace: (label: string, oldText: string, newText: string, o?: SignalOption) =>
        this.invoke('workingReplace', [label, oldText, newText], o?.signal),
      delete: (label: string, o?: { force?: boolean } & SignalOption) => {
        const [rest, signal] = splitSignal(o);
        return this.invoke('workingDelete', [label, rest], signal);
      },
    });
    this.facts = Object.freeze({
      add: (fact: FactInput, o?: SignalOption) => this.invoke('factAdd', [fact], o?.signal),
      update: (id: string, fact: FactInput, o?: SignalOption) => this.invoke('factUpdate', [id, fact], o?.signal),
      invalidate: (id: string, o?: { at?: Instant } & SignalOption) => {
        const [rest, signal] = splitSignal(o);
        return this.invoke('factInvalidate', [id, rest], signal);
      },
      list: (o?: FactListOptions & SignalOption) => {
        const [rest, signal] = splitSignal(o);
        return this.invoke('factList', [rest], signal);
      },
      history: (id: string, o?: SignalOption) => this.invoke('factHistory', [id], o?.signal),
    });
    this.instructions = Object.freeze({
      add: (text: string, o?: { tags?: string[]; importance?: number } & SignalOption) => {
        const [rest, signal] = splitSignal(o);
        return this.invoke('instructionAdd', [text, rest], signal);
      },
      list: (o?: SignalOption) => this.invoke('instructionList', [], o?.signal),
    });
    this.archive = Object.freeze({
      add: (document: ArchiveInput, o?: SignalOption) => this.invoke('archiveAdd', [document], o?.signal),
    });
    this.encryption = Object.freeze({
      enable: (passphrase: string, o?: SignalOption) => this.invoke('encryptionEnable', [passphrase], o?.signal),
      changePassphrase: (oldPassphrase: string, newPassphrase: string, o?: SignalOption) =>
        this.invoke('encryptionChangePassphrase', [oldPassphrase, newPassphrase], o?.signal),
    });
  }

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

  forget(target: string | string[] | ForgetFilter, options?: ForgetOptions & SignalOption): Promise<string[]> {
    const [rest, signal] = splitSignal(options);
    return this.invoke('forget', [target, rest], signal);
  }

  stats(options?: SignalOption): Promise<MemoryStats> {
    return this.invoke('stats', [], options?.signal);
  }

  recent(sessionId: string, options?: RecentOptions & SignalOption): Promise<MemoryRecord[]> {
    const [rest, signal] = splitSignal(options);
    return this.invoke('recent', [sessionId, rest], signal);
  }

  context(query: string, options?: ContextOptions & SignalOption): Promise<BuiltContext> {
    const [rest, signal] = splitSignal(options);
    return this.invoke('context', [query, rest], signal);
  }

  consolidate(options?: ConsolidateOptions & ConsolidateCallbacks & SignalOption): Promise<ConsolidationReport> {
    const [withCallbacks, signal] = splitSignal(options);
    const { llm, onProgress, ...rest } = withCallbacks ?? {};
    if (!llm && !onProgress) return this.invoke('consolidate', [withCallbacks && rest], signal);
    // Functions cannot be cloned: they cross as Comlink proxies the worker calls back.
    return this.send((id) => this.facade.consolidateWith(id, rest, llm && proxy(llm), onProgress && proxy(onProgress)), signal);
  }

  tools(options?: SignalOption): Promise<ToolDefinition[]> {
    return this.invoke('tools', [], options?.signal);
  }

  executeTool(call: ToolCall, options?: ToolOptions & SignalOption): Promise<ToolResult> {
    const { signal, ...rest } = options ?? {};
    return this.invoke('executeTool', [call, rest], signal);
  }

  reembed(options?: SignalOption): Promise<ReembedReport> {
    return this.invoke('reembed', [], options?.signal);
  }

  export(options?: SignalOption): Promise<string> {
    return this.invoke('exportJsonl', [], options?.signal);
  }

  import(jsonl: string, options?: SignalOption): Promise<ImportResult> {
    return this.invoke('importJsonl', [jsonl], options?.signal);
  }

  checkIntegrity(options?: SignalOption): Promise<IntegrityReport> {
    return this.invoke('checkIntegrity', [], options?.signal);
  }

  acknowledgeDataLoss(options?: SignalOption): Promise<boolean> {
    return this.invoke('acknowledgeDataLoss', [], options?.signal);
  }

  purgeQuarantine(ids?: string | string[], options?: SignalOption): Promise<string[]> {
    return this.invoke('purgeQuarantine', [ids], options?.signal);
  }

  forgetLog(options?: SignalOption): Promise<ForgetAuditEntry[]> {
    return this.invoke('forgetLog', [], options?.signal);
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

  private invoke<M extends MemoryMethod>(method: M, args: MethodArgs<M>, signal?: AbortSignal): Promise<MethodResult<M>> {
    return this.send((id) => this.facade.call(id, method, args), signal);
  }

  private async send<T>(call: (id: number) => Promise<unknown>, signal?: AbortSignal): Promise<T> {
    if (this.closed) throw new MnemoError('CLOSED', `The memory "${this.namespace}" is closed.`);
    if (signal?.aborted) throw new MnemoError('ABORTED', 'The call was aborted before it was sent.', { cause: signal.reason });
    const id = this.nextCall++;
    // The host decides whether the abort came in time; the answer it gives is the truth either way.
    const onAbort = () => void this.facade.abort(id);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return unwrapResult<T>(await call(id));
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
