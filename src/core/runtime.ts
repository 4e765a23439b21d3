// The memory runtime: validated verbs over a RecordStore, with a lexical index and (given an embedder)
// a vector collection kept in step with it, fused at recall.

import { throwIfAborted, type AbortSignalLike } from './abort.js';
import type { ListOptions, MemoryApi, MemoryStats, RecallHit, RecallOptions } from './api.js';
import { Bm25Index } from './bm25-index.js';
import { MnemoError } from './errors.js';
import { fuse, type FusionWeights } from './fusion.js';
import { recordFromInput } from './record-input.js';
import type { Clock, Embedder, IdGenerator, RecordStore, StoreChange, VectorWrite } from './ports.js';
import { checkVector } from './vectors/vector-checks.js';
import { VectorCollection, type VectorCollectionOptions } from './vectors/vector-collection.js';
import { TIERS, type MemoryRecord, type RememberInput, type Tier } from './record.js';
import { LIMITS, checkInteger, checkLabel, checkNamespace, checkOptions, checkText, checkTier, invalid } from './validate.js';

export interface RuntimeDeps {
  namespace: string;
  store: RecordStore;
  clock: Clock;
  newId: IdGenerator;
  /** Makes recall hybrid (dense + lexical). Without one, recall is lexical only. */
  embedder?: Embedder;
  vectors?: Omit<VectorCollectionOptions, 'model' | 'dims'>;
  /** Default: the embedder's `denseWeight` for dense, the rest for lexical. */
  fusion?: FusionWeights;
  /**
   * Runs a task after the host has handled pending messages (setTimeout 0 in a worker). Background work,
   * such as building the HNSW index, advances in slices through it; without it, that work runs at once.
   */
  defer?: (task: () => void) => void;
}

/** Milliseconds of background work per slice, so a call waits at most this long behind it. */
const BACKGROUND_SLICE_MS = 25;

/** For an embedder that states no weight. Not measured here: no real model runs on these machines. */
const DEFAULT_DENSE_WEIGHT = 0.5;
/** Candidates taken from each index per hit asked for, before fusion. */
const POOL_PER_HIT = 4;
const MIN_POOL = 50;

export interface CallOptions {
  signal?: AbortSignalLike;
}

const RECALL_KEYS = ['k', 'tiers', 'sessionId'];
const LIST_KEYS = ['tier', 'sessionId', 'limit', 'offset', 'order'];
const SCAN_BATCH = 500;

/** What ranking filters need of each record, kept in memory beside the lexical index. */
interface Facet {
  tier: Tier;
  sessionId?: string;
}

export class MemoryRuntime implements MemoryApi {
  readonly namespace: string;
  private readonly store: RecordStore;
  private readonly clock: Clock;
  private readonly newId: IdGenerator;
  private lexical = new Bm25Index();
  private readonly facets = new Map<string, Facet>();
  private readonly embedder: Embedder | undefined;
  private readonly fusion: FusionWeights;
  private vectors: VectorCollection | undefined;
  // Set when an external change could not be applied; the next read rebuilds the indexes from the store.
  private stale = false;
  // Set when the vector log could not be read back after a write; the next read catches up.
  private vectorsBehind = false;
  private readonly defer: ((task: () => void) => void) | undefined;
  private backgroundScheduled = false;
  private unsubscribe: (() => void) | undefined;
  // Mutations and external changes apply one at a time, so the index never disagrees with the store.
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  private constructor(deps: RuntimeDeps) {
    this.namespace = checkNamespace(deps.namespace);
    this.store = deps.store;
    this.clock = deps.clock;
    this.newId = deps.newId;
    this.embedder = deps.embedder;
    this.defer = deps.defer;
    const dense = deps.embedder?.denseWeight ?? DEFAULT_DENSE_WEIGHT;
    this.fusion = deps.fusion ?? { lexical: 1 - dense, dense };
  }

  /** Opens a runtime over a store, indexing what the store already holds. */
  static async open(deps: RuntimeDeps, options: CallOptions = {}): Promise<MemoryRuntime> {
    const runtime = new MemoryRuntime(deps);
    runtime.unsubscribe = deps.store.subscribe?.((change) => runtime.applyExternal(change));
    try {
      await runtime.rebuild(options.signal);
      if (deps.embedder) {
        runtime.vectors = await VectorCollection.open(deps.store, {
          ...deps.vectors,
          model: deps.embedder.model,
          dims: deps.embedder.dims,
        });
      }
    } catch (error) {
      await runtime.close();
      throw error;
    }
    return runtime;
  }

  async remember(input: RememberInput | RememberInput[], options: CallOptions = {}): Promise<MemoryRecord[]> {
    this.checkOpen();
    const inputs = Array.isArray(input) ? input : [input];
    if (inputs.length === 0) throw invalid('input', 'must hold at least one entry');
    if (inputs.length > LIMITS.maxBatchSize) {
      throw new MnemoError('BATCH_TOO_LARGE', `${inputs.length} entries, the limit is ${LIMITS.maxBatchSize}`, {
        details: { size: inputs.length, limit: LIMITS.maxBatchSize },
      });
    }
    const now = this.clock.now();
    const records = inputs.map((item, i) =>
      recordFromInput(item, Array.isArray(input) ? `input[${i}]` : 'input', { id: this.newId(), namespace: this.namespace, now }),
    );
    // Embeddings are computed before the transaction opens: one that awaits anything else auto-commits.
    const vectors = await this.embedRecords(records, options.signal);
    return this.serial(async () => {
      throwIfAborted(options.signal);
      await this.store.put(records, vectors);
      for (const record of records) this.index(record);
      await this.syncVectors();
      return records;
    });
  }

  async recall(query: string, options: RecallOptions = {}, call: CallOptions = {}): Promise<RecallHit[]> {
    this.checkOpen();
    checkText(query, 'query');
    const opts = checkOptions(options, RECALL_KEYS, 'options');
    const k = opts['k'] === undefined ? 10 : checkInteger(opts['k'], 'options.k', 1, LIMITS.maxK);
    const tiers = opts['tiers'] === undefined ? undefined : this.checkTiers(opts['tiers']);
    const sessionId = opts['sessionId'] === undefined ? undefined : checkLabel(opts['sessionId'], 'options.sessionId');
    const queryVector = await this.embedQuery(query, call.signal);
    await this.settle();
    throwIfAborted(call.signal);

    const filter =
      tiers || sessionId !== undefined
        ? (id: string) => {
            const facet = this.facets.get(id);
            return !!facet && (!tiers || tiers.has(facet.tier)) && (sessionId === undefined || facet.sessionId === sessionId);
          }
        : undefined;
    const vectors = this.vectors;
    const pool = vectors && queryVector ? Math.max(k * POOL_PER_HIT, MIN_POOL) : k;
    const lexicalHits = this.lexical.search(query, pool, filter);
    const ranked =
      vectors && queryVector
        ? fuse(
            lexicalHits,
            vectors.search(queryVector, pool, filter ? { filter } : {}),
            (id) => vectors.similarity(queryVector, id),
            this.fusion,
          ).slice(0, k)
        : lexicalHits.map((hit) => ({ id: hit.id, score: hit.score, lexical: hit.score, dense: undefined }));
    const records = await this.store.getMany(ranked.map((hit) => hit.id));
    const hits: RecallHit[] = [];
    ranked.forEach((hit, i) => {
      const record = records[i];
      // A record forgotten by another tab between search and read is simply not a hit.
      if (!record) return;
      hits.push({
        record,
        score: hit.score,
        scores: hit.dense === undefined ? { lexical: hit.lexical } : { lexical: hit.lexical, dense: hit.dense },
      });
    });
    return hits;
  }

  async get(id: string): Promise<MemoryRecord | undefined> {
    this.checkOpen();
    return this.store.get(checkLabel(id, 'id'));
  }

  async list(options: ListOptions = {}): Promise<MemoryRecord[]> {
    this.checkOpen();
    const opts = checkOptions(options, LIST_KEYS, 'options');
    const order = opts['order'] ?? 'desc';
    if (order !== 'asc' && order !== 'desc') throw invalid('options.order', 'must be "asc" or "desc"');
    return this.store.list({
      ...(opts['tier'] !== undefined && { tier: checkTier(opts['tier'], 'options.tier') }),
      ...(opts['sessionId'] !== undefined && { sessionId: checkLabel(opts['sessionId'], 'options.sessionId') }),
      limit: opts['limit'] === undefined ? 50 : checkInteger(opts['limit'], 'options.limit', 1, LIMITS.maxListLimit),
      offset: opts['offset'] === undefined ? 0 : checkInteger(opts['offset'], 'options.offset', 0, Number.MAX_SAFE_INTEGER),
      order,
    });
  }

  async forget(ids: string | string[], options: CallOptions = {}): Promise<string[]> {
    this.checkOpen();
    const list = Array.isArray(ids) ? ids.map((id, i) => checkLabel(id, `ids[${i}]`)) : [checkLabel(ids, 'id')];
    if (list.length > LIMITS.maxBatchSize) throw invalid('ids', `at most ${LIMITS.maxBatchSize} ids`);
    return this.serial(async () => {
      throwIfAborted(options.signal);
      const deleted = await this.store.delete(list);
      for (const id of deleted) this.unindex(id);
      await this.syncVectors();
      return deleted;
    });
  }

  async stats(): Promise<MemoryStats> {
    this.checkOpen();
    await this.settle();
    const byTier = Object.fromEntries(TIERS.map((tier) => [tier, 0])) as Record<Tier, number>;
    for (const facet of this.facets.values()) byTier[facet.tier]++;
    const stats: MemoryStats = {
      namespace: this.namespace,
      records: this.facets.size,
      byTier,
      lexical: { documents: this.lexical.size, terms: this.lexical.termCount },
      ...(this.vectors && {
        vectors: { model: this.vectors.model, dims: this.vectors.dims, count: this.vectors.size, index: this.vectors.kind },
      }),
    };
    const storage = await this.store.estimate?.();
    if (storage) stats.storage = storage;
    return stats;
  }

  /** Waits for queued work, then releases the store. Every later call fails with CLOSED. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    await this.queue.catch(() => undefined);
    await this.store.close();
  }

  /** The query's embedding, checked and normalised, since `similarity` takes the dot product as the cosine. */
  private async embedQuery(query: string, signal: AbortSignalLike | undefined): Promise<Float32Array | undefined> {
    const embedder = this.embedder;
    if (!embedder) return undefined;
    const [vector] = await embedder.embed([query], signal ? { signal } : {});
    return checkVector(vector, embedder.dims, 'embedding of the query');
  }

  private async embedRecords(records: readonly MemoryRecord[], signal: AbortSignalLike | undefined): Promise<VectorWrite[]> {
    const embedder = this.embedder;
    if (!embedder) return [];
    const vectors = await embedder.embed(
      records.map((r) => r.text),
      signal ? { signal } : {},
    );
    if (vectors.length !== records.length) {
      throw new MnemoError(
        'INTERNAL',
        `The embedder "${embedder.model}" returned ${vectors.length} vectors for ${records.length} texts.`,
        {
          details: { model: embedder.model },
        },
      );
    }
    // Checked (type, dimensions, NaN, zero norm) and normalised before anything is written: a bad vector in
    // the log would fail every runtime that reads it.
    const checked = vectors.map((vector, i) => checkVector(vector, embedder.dims, `embedding of input[${i}]`));
    records.forEach((record) => (record.embedding = { model: embedder.model, dims: embedder.dims }));
    return records.map((record, i) => ({ id: record.id, model: embedder.model, vector: checked[i]! }));
  }

  /** Reads this runtime's and other tabs' vector changes back from the log; compacts when the log is long. */
  private async syncVectors(): Promise<void> {
    const vectors = this.vectors;
    if (!vectors) return;
    try {
      await vectors.catchUp(this.store);
      this.vectorsBehind = false;
    } catch {
      // The write itself is committed; the dense index catches up at the next read.
      this.vectorsBehind = true;
      return;
    }
    if (vectors.promoting) {
      if (this.defer) this.scheduleBackground();
      else vectors.promoteStep(() => false);
    }
    if (vectors.needsCompaction) {
      // Queued behind this call, not awaited by it: the caller's write is already durable.
      void this.serial(() => vectors.compact(this.store)).catch(() => undefined);
    }
  }

  /** One slice of background work per deferred task, each queued like any call, until none is left. */
  private scheduleBackground(): void {
    if (this.backgroundScheduled || !this.defer) return;
    this.backgroundScheduled = true;
    this.defer(() => {
      this.backgroundScheduled = false;
      void this.serial(async () => {
        const vectors = this.vectors;
        if (this.closed || !vectors?.promoting) return;
        const deadline = this.clock.now() + BACKGROUND_SLICE_MS;
        vectors.promoteStep(() => this.clock.now() >= deadline);
        if (vectors.promoting) this.scheduleBackground();
        else if (vectors.needsCompaction) await vectors.compact(this.store);
      }).catch(() => undefined);
    });
  }

  private checkTiers(value: unknown): Set<Tier> {
    if (!Array.isArray(value) || value.length === 0) throw invalid('options.tiers', 'must be a non-empty array of tiers');
    return new Set(value.map((tier, i) => checkTier(tier, `options.tiers[${i}]`)));
  }

  private index(record: MemoryRecord): void {
    this.lexical.upsert(record.id, record.speaker ? `${record.speaker}: ${record.text}` : record.text);
    const facet: Facet = { tier: record.tier };
    if (record.sessionId !== undefined) facet.sessionId = record.sessionId;
    this.facets.set(record.id, facet);
  }

  private unindex(id: string): void {
    this.lexical.remove(id);
    this.facets.delete(id);
  }

  private applyExternal(change: StoreChange): void {
    void this.serial(async () => {
      if (this.closed) return;
      await this.syncVectors();
      if (change.kind === 'delete') {
        for (const id of change.ids) this.unindex(id);
        return;
      }
      const records = await this.store.getMany(change.ids);
      change.ids.forEach((id, i) => {
        const record = records[i];
        if (record) this.index(record);
        else this.unindex(id);
      });
    }).catch(() => {
      this.stale = true;
    });
  }

  /** Waits for queued changes (own writes, other tabs' writes) so a read sees them, repairing the index if needed. */
  private settle(): Promise<void> {
    return this.serial(async () => {
      if (this.stale) await this.rebuild();
      if (this.vectorsBehind) await this.syncVectors();
    });
  }

  private async rebuild(signal?: AbortSignalLike): Promise<void> {
    this.stale = true; // stays set if the scan fails part-way
    this.lexical = new Bm25Index();
    this.facets.clear();
    for await (const batch of this.store.scan(SCAN_BATCH)) {
      throwIfAborted(signal);
      for (const record of batch) this.index(record);
    }
    this.stale = false;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private checkOpen(): void {
    if (this.closed) throw new MnemoError('CLOSED', `The memory "${this.namespace}" is closed.`);
  }
}
