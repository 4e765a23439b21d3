// The memory runtime: every verb of the memory model (DESIGN sections 2 and 3), checked at the door and
// carried out by the engine and the tier modules. Hosts expose it over the wire; Node uses it directly.

import { throwIfAborted, type AbortSignalLike } from './abort.js';
import type {
  ArchiveInput,
  ArchivedDocument,
  BuiltContext,
  ConsolidateOptions,
  ConsolidationReport,
  ConsolidationStatus,
  ContextOptions,
  FactInput,
  FactListOptions,
  FactResult,
  ForgetFilter,
  ForgetOptions,
  ImportResult,
  Instant,
  ListOptions,
  MemoryApi,
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
} from './api.js';
import { MemoryEngine, type EngineDeps } from './engine.js';
import type { EncryptionControl } from './encryption.js';
import { MnemoError, toMnemoError } from './errors.js';
import type { IntegrityReport } from './integrity.js';
import type { ForgetAuditEntry } from './ports.js';
import { archiveDocument } from './memory/archive.js';
import { exportNamespace, importNamespace } from './memory/backup-io.js';
import { Consolidator, isTurn, type Extractor, type LanguageModel } from './memory/consolidation.js';
import { buildContext } from './memory/context-builder.js';
import { FactMemory } from './memory/facts.js';
import { newRecord } from './memory/new-record.js';
import { DEFAULT_RECENT_TOKENS, recentTurns } from './memory/recent-turns.js';
import { ESTIMATE_NAME, estimateTokens, type TokenCounter } from './memory/token-count.js';
import { MEMORY_TOOLS, executeTool } from './memory/tools.js';
import { WorkingMemory } from './memory/working-memory.js';
import { recordFromInput } from './record-input.js';
import { inheritTrust } from './safety/trust.js';
import { WriteGuard, type WriteBudget } from './safety/write-guard.js';
import type { MemoryRecord, RememberInput } from './record.js';
import type { Facet } from './retrieval/facet-table.js';
import { resolveRecallOptions } from './retrieval/recall-options.js';
import {
  LIMITS,
  checkInstant,
  checkInteger,
  checkLabel,
  checkLabels,
  checkOptions,
  checkText,
  checkTier,
  checkUnitInterval,
  invalid,
} from './validate.js';

export interface RuntimeDeps extends EngineDeps {
  /**
   * Runs `task` after `delayMs` unless cancelled (setTimeout in a worker). With it, consolidation runs by
   * itself once the memory has been idle for `consolidateWhenIdleMs` after a write.
   */
  schedule?: (task: () => void, delayMs: number) => () => void;
  /** Default 30 s; 0 turns automatic consolidation off. */
  consolidateWhenIdleMs?: number;
  /** Counts tokens for `context()` and `recent()`; default a documented estimate (memory/token-count.ts). */
  tokens?: { count: TokenCounter; name: string };
  /** Turns new episodes into facts at `consolidate()`; default the rule-based extractor. */
  extractor?: Extractor;
  /** Limits on low-trust writers (safety/write-guard.ts); default DEFAULT_WRITE_BUDGET. */
  writeBudget?: Partial<WriteBudget>;
  /** Encryption at rest, where the host's store offers it (the browser's IndexedDB store does). */
  encryption?: EncryptionControl;
}

export interface CallOptions {
  signal?: AbortSignalLike;
}

/** Records embedded per batch of a re-embedding job. */
const REEMBED_BATCH = 32;
/** Idle time after the last write before consolidation runs by itself. */
const DEFAULT_IDLE_MS = 30_000;
const LIST_KEYS = ['tier', 'sessionId', 'limit', 'offset', 'order'];
const FORGET_FILTER_KEYS = ['tier', 'sessionId', 'speaker', 'tags', 'before'];

export class MemoryRuntime implements MemoryApi {
  readonly namespace: string;
  private readonly working: WorkingMemory;
  private readonly facts: FactMemory;
  private readonly consolidator: Consolidator;
  private readonly countTokens: TokenCounter;
  private readonly tokenizer: string;
  private readonly schedule: RuntimeDeps['schedule'];
  private readonly idleMs: number;
  private readonly guard: WriteGuard;
  private cancelIdle: (() => void) | undefined;
  private lastConsolidation: ConsolidationStatus['last'];
  private readonly encryption: EncryptionControl | undefined;

  private constructor(
    private readonly engine: MemoryEngine,
    deps: RuntimeDeps,
  ) {
    this.namespace = engine.namespace;
    this.working = new WorkingMemory(engine);
    this.facts = new FactMemory(engine);
    this.consolidator = new Consolidator(engine, this.facts, deps.extractor);
    this.countTokens = deps.tokens?.count ?? estimateTokens;
    this.tokenizer = deps.tokens?.name ?? ESTIMATE_NAME;
    this.schedule = deps.schedule;
    this.idleMs = deps.consolidateWhenIdleMs ?? DEFAULT_IDLE_MS;
    this.guard = new WriteGuard(() => engine.now(), deps.writeBudget);
    this.encryption = deps.encryption;
  }

  /**
   * Opens a runtime over a store, indexing what the store already holds. Records stored under another
   * embedding model are embedded again in the background (with `defer`), a batch per slice.
   */
  static async open(deps: RuntimeDeps, options: CallOptions = {}): Promise<MemoryRuntime> {
    const runtime = new MemoryRuntime(await MemoryEngine.open(deps, options.signal), deps);
    if (deps.defer && runtime.engine.withoutVector().length > 0) runtime.reembedInBackground(deps.defer);
    return runtime;
  }

  private reembedding: Promise<ReembedReport> | undefined;

  /** Embeds what lacks this model's vector, batch by batch, until none is left; one job at a time. */
  async reembed(call: CallOptions & { onProgress?: (report: ReembedReport) => void } = {}): Promise<ReembedReport> {
    this.engine.checkOpen();
    while (this.reembedding) await this.reembedding.catch(() => undefined);
    const job = (async () => {
      let embedded = 0;
      let pending = this.engine.withoutVector().length;
      while (pending > 0) {
        throwIfAborted(call.signal);
        const before = pending;
        pending = await this.engine.embedMissing(REEMBED_BATCH, call.signal);
        embedded += Math.max(0, before - pending);
        call.onProgress?.({ embedded, pending });
        if (pending >= before) break; // nothing moved (records changing under it): leave the rest for later
      }
      return { embedded, pending };
    })();
    this.reembedding = job;
    try {
      return await job;
    } finally {
      this.reembedding = undefined;
    }
  }

  /** One batch per deferred slice, so calls interleave with the job. */
  private reembedInBackground(defer: (task: () => void) => void): void {
    const step = () =>
      defer(() => {
        if (this.engine.isClosed || this.reembedding) return;
        const job = this.engine.embedMissing(REEMBED_BATCH).then((left) => {
          if (left > 0 && !this.engine.isClosed) step();
          return { embedded: 0, pending: left };
        });
        this.reembedding = job;
        void job.catch(() => undefined).finally(() => (this.reembedding = undefined));
      });
    step();
  }

  async remember(input: RememberInput | RememberInput[], options: CallOptions = {}): Promise<MemoryRecord[]> {
    this.engine.checkOpen();
    const inputs = Array.isArray(input) ? input : [input];
    if (inputs.length === 0) throw invalid('input', 'must hold at least one entry');
    checkBatch(inputs.length);
    const now = this.engine.now();
    const records = inputs.map((item, i) =>
      recordFromInput(item, Array.isArray(input) ? `input[${i}]` : 'input', {
        id: this.engine.newId(),
        namespace: this.namespace,
        now,
      }),
    );
    // A record derived from others is no more trusted than they are (records of this batch included).
    const batch = new Map(records.map((r) => [r.id, r]));
    for (const record of records) inheritTrust(record, (id) => batch.get(id)?.trust ?? this.engine.facets.get(id)?.trust);
    const release = this.guard.admit(records);
    const written = await this.engine.write(records, { signal: options.signal }).catch((error: unknown) => {
      release();
      throw error;
    });
    this.consolidateWhenIdle();
    return written;
  }

  /** (Re)starts the idle timer: a pass runs once no turn has arrived for `idleMs`. */
  private consolidateWhenIdle(): void {
    if (!this.schedule || this.idleMs <= 0) return;
    this.cancelIdle?.();
    this.cancelIdle = this.schedule(() => {
      this.cancelIdle = undefined;
      if (this.engine.isClosed) return;
      void this.consolidate().catch(() => undefined);
    }, this.idleMs);
  }

  async recall(query: string, options: RecallOptions = {}, call: CallOptions = {}): Promise<RecallHit[]> {
    this.engine.checkOpen();
    checkText(query, 'query');
    const hits = await this.engine.search(query, resolveRecallOptions(options, this.engine.now()), call.signal);
    for (const hit of hits) {
      const meta = hit.record.meta;
      if (hit.record.tier === 'archival' && typeof meta['documentId'] === 'string') {
        hit.document = { id: meta['documentId'], title: typeof meta['title'] === 'string' ? meta['title'] : '' };
        if (typeof meta['source'] === 'string') hit.document.source = meta['source'];
      }
    }
    return hits;
  }

  async get(id: string): Promise<MemoryRecord | undefined> {
    return this.engine.get(checkLabel(id, 'id'));
  }

  async list(options: ListOptions = {}): Promise<MemoryRecord[]> {
    const opts = checkOptions(options, LIST_KEYS, 'options');
    const order = opts['order'] ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw invalid('options.order', 'must be "asc" or "desc"');
    return this.engine.list({
      ...(opts['tier'] !== undefined && { tier: checkTier(opts['tier'], 'options.tier') }),
      ...(opts['sessionId'] !== undefined && { sessionId: checkLabel(opts['sessionId'], 'options.sessionId') }),
      limit: opts['limit'] === undefined ? 50 : checkInteger(opts['limit'], 'options.limit', 1, LIMITS.maxListLimit),
      offset: opts['offset'] === undefined ? 0 : checkInteger(opts['offset'], 'options.offset', 0, Number.MAX_SAFE_INTEGER),
      order,
    });
  }

  /**
   * Deletes completely: the records, their vectors, index entries and lexical postings. With `derived`,
   * also the facts and summaries all of whose sources are forgotten.
   */
  async forget(target: string | string[] | ForgetFilter, options: ForgetOptions = {}, call: CallOptions = {}): Promise<string[]> {
    this.engine.checkOpen();
    const derived = checkOptions(options, ['derived'], 'options')['derived'] === true;
    const ids = typeof target === 'string' || Array.isArray(target) ? checkIds(target) : undefined;
    const accept = ids ? undefined : forgetFilter(target as ForgetFilter);
    return this.engine.exclusive(async () => {
      throwIfAborted(call.signal);
      const chosen = ids ?? this.engine.idsWhere((facet) => accept!(facet));
      checkBatch(chosen.length);
      const gone = new Set(chosen);
      if (derived) {
        // Derived records whose every source is going go too; a fact with other sources stays.
        const candidates = await this.engine.recordsWhere((facet) => facet.tier === 'semantic' || facet.tier === 'episodic');
        for (const record of candidates) {
          if (record.sourceIds.length > 0 && record.sourceIds.every((id) => gone.has(id))) gone.add(record.id);
        }
      }
      return this.engine.deleteNow([...gone]);
    });
  }

  async stats(): Promise<MemoryStats> {
    const stats = await this.engine.stats();
    const pending = this.engine.idsWhere((facet) => isTurn(facet) && facet.consolidatedAt === undefined).length;
    const consolidation: ConsolidationStatus = { pending, running: this.consolidator.isRunning };
    if (this.lastConsolidation) consolidation.last = this.lastConsolidation;
    const reembedding = this.engine.embedding && {
      pending: this.engine.withoutVector().length,
      running: this.reembedding !== undefined,
    };
    const encryption = this.encryption?.status() ?? { enabled: false };
    return { ...stats, consolidation, ...(reembedding && { reembedding }), encryption };
  }

  async recent(sessionId: string, options: RecentOptions = {}): Promise<MemoryRecord[]> {
    checkLabel(sessionId, 'sessionId');
    const opts = checkOptions(options, ['budgetTokens'], 'options');
    const budget =
      opts['budgetTokens'] === undefined
        ? DEFAULT_RECENT_TOKENS
        : checkInteger(opts['budgetTokens'], 'options.budgetTokens', 1, 1_000_000);
    await this.engine.settle();
    return (await recentTurns(this.engine, sessionId, budget, this.countTokens)).turns;
  }

  async workingList(): Promise<WorkingBlock[]> {
    return this.working.list();
  }

  async workingGet(label: string): Promise<WorkingBlock | undefined> {
    return this.working.get(label);
  }

  async workingSet(label: string, input: WorkingBlockInput, options?: { force?: boolean }): Promise<WorkingBlock> {
    return this.working.set(label, input, options);
  }

  async workingAppend(label: string, text: string): Promise<WorkingBlock> {
    return this.working.append(label, text);
  }

  async workingReplace(label: string, oldText: string, newText: string): Promise<WorkingBlock> {
    return this.working.replace(label, oldText, newText);
  }

  async workingDelete(label: string, options?: { force?: boolean }): Promise<boolean> {
    return this.working.delete(label, options);
  }

  async factAdd(input: FactInput): Promise<FactResult> {
    return this.facts.add(input);
  }

  async factUpdate(id: string, input: FactInput): Promise<FactResult> {
    return this.facts.update(id, input);
  }

  async factInvalidate(id: string, options?: { at?: Instant }): Promise<MemoryRecord> {
    return this.facts.invalidate(id, options);
  }

  async factList(options?: FactListOptions): Promise<MemoryRecord[]> {
    return this.facts.list(options);
  }

  async factHistory(id: string): Promise<MemoryRecord[]> {
    return this.facts.history(id);
  }

  async instructionAdd(text: string, options: { tags?: string[]; importance?: number } = {}): Promise<MemoryRecord> {
    const opts = checkOptions(options, ['tags', 'importance'], 'options');
    const record = newRecord(
      { id: this.engine.newId(), namespace: this.namespace, now: this.engine.now() },
      {
        tier: 'procedural',
        text: checkText(text, 'text'),
        tags: opts['tags'] === undefined ? [] : checkLabels(opts['tags'], 'options.tags', LIMITS.maxTags),
        importance: opts['importance'] === undefined ? 0.5 : checkUnitInterval(opts['importance'], 'options.importance'),
      },
    );
    const [written] = await this.engine.write([record]);
    return written!;
  }

  async instructionList(): Promise<MemoryRecord[]> {
    await this.engine.settle();
    const records = await this.engine.recordsWhere((facet) => facet.tier === 'procedural');
    return records.sort((a, b) => b.importance - a.importance || a.createdAt - b.createdAt);
  }

  async archiveAdd(document: ArchiveInput, call: CallOptions = {}): Promise<ArchivedDocument> {
    this.engine.checkOpen();
    return archiveDocument(this.engine, document, call.signal);
  }

  async context(query: string, options: ContextOptions = {}, call: CallOptions = {}): Promise<BuiltContext> {
    this.engine.checkOpen();
    return buildContext(
      {
        engine: this.engine,
        count: this.countTokens,
        tokenizer: this.tokenizer,
        search: (q, tiers, k, referenceTime) =>
          this.engine.search(
            q,
            resolveRecallOptions({ tiers, k, referenceTime, reinforce: false }, this.engine.now()),
            call.signal,
          ),
      },
      query,
      options,
    );
  }

  /**
   * The sleep-time pass. `llm`: the app's language model; with it facts and summaries come from the model
   * (malformed answers refused), without it from rules. `onProgress` gets the report after each batch.
   */
  async consolidate(
    options: ConsolidateOptions = {},
    call: CallOptions & { onProgress?: (report: ConsolidationReport) => void; llm?: LanguageModel } = {},
  ): Promise<ConsolidationReport> {
    this.engine.checkOpen();
    try {
      const report = await this.consolidator.run(options, call.signal, call.onProgress, call.llm);
      this.lastConsolidation = { at: this.engine.now(), report };
      return report;
    } catch (error) {
      this.lastConsolidation = { at: this.engine.now(), error: toMnemoError(error).toJSON() };
      throw error;
    }
  }

  async tools(): Promise<ToolDefinition[]> {
    return structuredCloneJson(MEMORY_TOOLS) as ToolDefinition[];
  }

  async executeTool(call: ToolCall, options?: ToolOptions): Promise<ToolResult> {
    this.engine.checkOpen();
    return executeTool(this, call, options);
  }

  async exportJsonl(): Promise<string> {
    return exportNamespace(this.engine);
  }

  async encryptionEnable(passphrase: string): Promise<void> {
    this.engine.checkOpen();
    return this.encryptionControl().enable(passphrase);
  }

  async encryptionChangePassphrase(oldPassphrase: string, newPassphrase: string): Promise<void> {
    this.engine.checkOpen();
    return this.encryptionControl().changePassphrase(oldPassphrase, newPassphrase);
  }

  /** For a host sharing this runtime with another connection: that connection's passphrase must unlock it. */
  async admit(passphrase: string | undefined): Promise<void> {
    this.engine.checkOpen();
    if (this.encryption) await this.encryption.admit(passphrase);
    else if (passphrase !== undefined) this.encryptionControl();
  }

  private encryptionControl(): EncryptionControl {
    if (!this.encryption) {
      throw new MnemoError('ENCRYPTION_UNSUPPORTED', `The store of "${this.namespace}" cannot encrypt.`);
    }
    return this.encryption;
  }

  async importJsonl(jsonl: string, call: CallOptions = {}): Promise<ImportResult> {
    return importNamespace(this.engine, jsonl, call.signal);
  }

  async checkIntegrity(): Promise<IntegrityReport> {
    return this.engine.integrity();
  }

  async purgeQuarantine(ids?: string | string[]): Promise<string[]> {
    return this.engine.purgeQuarantine(ids === undefined ? undefined : checkIds(ids));
  }

  async forgetLog(): Promise<ForgetAuditEntry[]> {
    return this.engine.forgetLog();
  }

  async acknowledgeDataLoss(): Promise<boolean> {
    return this.engine.acknowledgeDataLoss();
  }

  /** Waits for queued work, then releases the store. Every later call fails with CLOSED. */
  async close(): Promise<void> {
    this.cancelIdle?.();
    return this.engine.close();
  }
}

function checkBatch(size: number): void {
  if (size > LIMITS.maxBatchSize) {
    throw new MnemoError('BATCH_TOO_LARGE', `${size} entries, the limit is ${LIMITS.maxBatchSize}`, {
      details: { size, limit: LIMITS.maxBatchSize },
    });
  }
}

function checkIds(target: string | string[]): string[] {
  return Array.isArray(target) ? target.map((id, i) => checkLabel(id, `ids[${i}]`)) : [checkLabel(target, 'id')];
}

function forgetFilter(value: ForgetFilter): (facet: Facet) => boolean {
  const opts = checkOptions(value, FORGET_FILTER_KEYS, 'filter');
  if (Object.keys(opts).length === 0)
    throw invalid('filter', 'must name at least one condition; forgetting everything takes a list of ids');
  const tier = opts['tier'] === undefined ? undefined : checkTier(opts['tier'], 'filter.tier');
  const sessionId = opts['sessionId'] === undefined ? undefined : checkLabel(opts['sessionId'], 'filter.sessionId');
  const speaker = opts['speaker'] === undefined ? undefined : checkLabel(opts['speaker'], 'filter.speaker');
  const tags = opts['tags'] === undefined ? [] : checkLabels(opts['tags'], 'filter.tags', LIMITS.maxTags);
  const before = opts['before'] === undefined ? Infinity : checkInstant(opts['before'], 'filter.before');
  return (facet) =>
    (tier === undefined || facet.tier === tier) &&
    (sessionId === undefined || facet.sessionId === sessionId) &&
    (speaker === undefined || facet.speaker === speaker) &&
    tags.every((t) => facet.tags.includes(t)) &&
    facet.eventAt < before;
}

/** A mutable deep copy of frozen JSON data. */
function structuredCloneJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
