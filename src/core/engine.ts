// The machinery under every verb: records in a RecordStore, a lexical index and (given an embedder) a vector
// collection kept in step with it, one mutation at a time. The tiers of the memory model are built on it.

import { throwIfAborted, type AbortSignalLike } from './abort.js';
import type { MemoryStats, QuarantineReport, RecallHit } from './api.js';
import { RecordChecker } from './checked-store.js';
import { MnemoError } from './errors.js';
import { checkIntegrity, type IntegrityReport } from './integrity.js';
import type { FusionWeights } from './fusion.js';
import type {
  Clock,
  Embedder,
  ForgetAuditEntry,
  IdGenerator,
  ListQuery,
  RecordStore,
  StoreChange,
  VectorWrite,
} from './ports.js';
import type { MemoryRecord } from './record.js';
import {
  ContextualLexicalIndex,
  lexicalDocumentOf,
  sessionGroup,
  type LexicalDocument,
} from './retrieval/contextual-lexical-index.js';
import { FacetTable, type Facet } from './retrieval/facet-table.js';
import { rankRecall } from './retrieval/rank-recall.js';
import { analyseQuery, reinforce } from './retrieval/ranking.js';
import type { ResolvedRecall } from './retrieval/recall-options.js';
import { checkNamespace } from './validate.js';
import { checkVector } from './vectors/vector-checks.js';
import { VectorCollection, type VectorCollectionOptions } from './vectors/vector-collection.js';

export interface EngineDeps {
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
const SCAN_BATCH = 500;
/** Quarantined rows listed by stats(); the count covers all. */
const QUARANTINE_LISTED = 100;

/** Working blocks are read whole, never searched by meaning: they need no vector. */
function needsVector(record: MemoryRecord): boolean {
  return record.tier !== 'working';
}

export class MemoryEngine {
  readonly namespace: string;
  private readonly store: RecordStore;
  /** Every record read goes through it: unreadable rows are left out and quarantined. */
  private readonly records: RecordChecker;
  private readonly clock: Clock;
  readonly newId: IdGenerator;
  private lexical = new ContextualLexicalIndex();
  readonly facets = new FacetTable();
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

  private constructor(deps: EngineDeps) {
    this.namespace = checkNamespace(deps.namespace);
    this.store = deps.store;
    this.clock = deps.clock;
    this.records = new RecordChecker(deps.store, () => deps.clock.now());
    this.newId = deps.newId;
    this.embedder = deps.embedder;
    this.defer = deps.defer;
    const dense = deps.embedder?.denseWeight ?? DEFAULT_DENSE_WEIGHT;
    this.fusion = deps.fusion ?? { lexical: 1 - dense, dense };
  }

  /** Opens an engine over a store, indexing what the store already holds. */
  static async open(deps: EngineDeps, signal?: AbortSignalLike): Promise<MemoryEngine> {
    const engine = new MemoryEngine(deps);
    engine.unsubscribe = deps.store.subscribe?.((change) => engine.applyExternal(change));
    try {
      await engine.rebuild(signal);
      if (deps.embedder) {
        engine.vectors = await VectorCollection.open(deps.store, {
          ...deps.vectors,
          model: deps.embedder.model,
          dims: deps.embedder.dims,
        });
        // Vectors whose record is gone without a logged delete (a forget at a full quota) are dropped.
        const vectors = engine.vectors;
        for (const [id] of [...vectors.inspect().entries()]) if (!engine.facets.get(id)) vectors.removeOrphan(id);
        // Records whose vector is gone (a chunk the browser lost in a crash) are embedded again, like damaged ones.
        const model = deps.embedder.model;
        for (const [id, facet] of engine.facets.entries())
          if (facet.tier !== 'working' && facet.embeddedWith === model && !vectors.has(id)) vectors.damaged.add(id);
        // A forget whose scrub did not finish (a crash, a failed write) left a delete in the log: finish it.
        if (engine.vectors.scrubPending) await engine.vectors.compact(deps.store).catch(() => undefined);
      }
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  now(): number {
    return this.clock.now();
  }

  /** The embedding model vectors are made with, if any. */
  get embedding(): { model: string; dims: number } | undefined {
    return this.embedder && { model: this.embedder.model, dims: this.embedder.dims };
  }

  /**
   * Stores new records durably and indexes them, embedding first those that need a vector, since a transaction
   * that awaits anything else auto-commits. (A record rewritten with the same text keeps its vector: write it
   * with `writeNow` and no vectors.)
   */
  async write(records: MemoryRecord[], options: { signal?: AbortSignalLike | undefined } = {}): Promise<MemoryRecord[]> {
    this.checkOpen();
    const vectors = await this.vectorsFor(records, options);
    return this.serial(async () => {
      throwIfAborted(options.signal);
      await this.store.put(records, vectors);
      for (const record of records) this.index(record);
      await this.syncVectors();
      return records;
    });
  }

  /**
   * Runs `task` in the mutation queue, with the indexes up to date, so what it reads cannot change before
   * what it writes. Inside it use `writeNow`/`deleteNow` and the synchronous reads, never a queued verb.
   */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.checkOpen();
    return this.serial(async () => {
      await this.settleNow();
      return task();
    });
  }

  /** The write of `write`, for use inside `exclusive` (vectors must be computed before entering it). */
  async writeNow(records: MemoryRecord[], vectors: VectorWrite[] = []): Promise<void> {
    await this.store.put(records, vectors);
    for (const record of records) this.index(record);
    await this.syncVectors();
  }

  /** Embeds what needs a vector, before a write; `vectors` supplies some already computed (an import). */
  async vectorsFor(
    records: readonly MemoryRecord[],
    options: { signal?: AbortSignalLike | undefined; vectors?: ReadonlyMap<string, Float32Array> } = {},
  ): Promise<VectorWrite[]> {
    const embedder = this.embedder;
    if (!embedder) return [];
    const given: VectorWrite[] = [];
    const toEmbed = records.filter((r) => {
      if (!needsVector(r)) return false;
      const vector = options.vectors?.get(r.id);
      if (vector)
        given.push({ id: r.id, model: embedder.model, vector: checkVector(vector, embedder.dims, `vector of ${r.id}`) });
      return !vector;
    });
    return [...given, ...(await this.embedRecords(toEmbed, options.signal))];
  }

  async deleteIds(ids: readonly string[], signal?: AbortSignalLike): Promise<string[]> {
    this.checkOpen();
    return this.serial(async () => {
      throwIfAborted(signal);
      return this.deleteNow(ids);
    });
  }

  /** The delete of `deleteIds`, for use inside `exclusive`. */
  async deleteNow(ids: readonly string[]): Promise<string[]> {
    const deleted = await this.store.delete(ids);
    for (const id of deleted) this.unindex(id);
    // Forgotten means erased: the compaction that empties the vectors' chunk slots and drops their log
    // entries runs now, before the call answers, not when the log next grows long.
    await this.syncVectors({ compactNow: true });
    // Normally the log's delete entry removed them; a store at a full quota deletes without logging it. Those
    // are erased too, by a compaction of their own (which may itself fail at a full quota: then the next one).
    await this.scrubOrphanVectors(deleted);
    if (deleted.length > 0) await this.auditForget(deleted);
    return deleted;
  }

  /** Drops the vectors of records gone from the store without a logged delete, and erases their bytes. */
  private async scrubOrphanVectors(ids: readonly string[]): Promise<void> {
    const vectors = this.vectors;
    if (vectors && ids.map((id) => vectors.removeOrphan(id)).includes(true)) {
      await vectors.compact(this.store).catch(() => undefined);
    }
  }

  /**
   * Appends to the forget audit log (hashes only, see `RecordStore.logForget`). A failure is not the caller's:
   * the records are gone; only the entry is missing.
   */
  private async auditForget(ids: readonly string[]): Promise<void> {
    try {
      await this.store.logForget?.(ids, this.clock.now());
    } catch {
      // Nothing to undo: see above.
    }
  }

  async get(id: string): Promise<MemoryRecord | undefined> {
    this.checkOpen();
    return this.records.get(id);
  }

  async getMany(ids: readonly string[]): Promise<(MemoryRecord | undefined)[]> {
    this.checkOpen();
    return this.records.getMany(ids);
  }

  async list(query: ListQuery): Promise<MemoryRecord[]> {
    this.checkOpen();
    return this.records.list(query);
  }

  /** Ids whose facet passes `accept`; call `settle()` first outside `exclusive`. */
  idsWhere(accept: (facet: Facet, id: string) => boolean): string[] {
    const ids: string[] = [];
    for (const [id, facet] of this.facets.entries()) if (accept(facet, id)) ids.push(id);
    return ids;
  }

  /** Records whose facet passes `accept`, read in one go. */
  async recordsWhere(accept: (facet: Facet, id: string) => boolean): Promise<MemoryRecord[]> {
    const records = await this.records.getMany(this.idsWhere(accept));
    return records.filter((r): r is MemoryRecord => !!r);
  }

  /** The turns of a session in order. */
  sessionTurns(sessionId: string): string[] {
    return this.lexical.groupMembers(sessionGroup(sessionId));
  }

  /** Records that should have a vector of the current model and have none (stored before a model change). */
  withoutVector(): string[] {
    const model = this.embedder?.model;
    if (model === undefined) return [];
    const damaged = this.vectors?.damaged;
    return this.idsWhere((facet, id) => facet.tier !== 'working' && (facet.embeddedWith !== model || damaged?.has(id) === true));
  }

  /**
   * Embeds up to `size` records that lack this model's vector and stores the vectors; resolves with how many
   * are left. The records themselves record what is done, so a job stopped anywhere resumes where it was.
   */
  async embedMissing(size: number, signal?: AbortSignalLike): Promise<number> {
    this.checkOpen();
    await this.settle();
    const ids = this.withoutVector().slice(0, size);
    if (ids.length === 0) return 0;
    const records = (await this.records.getMany(ids)).filter((r): r is MemoryRecord => !!r);
    const embedded = records.map((r) => ({ ...r }));
    const vectors = await this.vectorsFor(embedded, { signal });
    await this.exclusive(async () => {
      throwIfAborted(signal);
      // A record changed or forgotten meanwhile is skipped: its own write embedded it, or it is gone.
      const current = await this.records.getMany(ids);
      const before = new Map(records.map((r) => [r.id, r.updatedAt]));
      const keep = new Set(
        current
          .filter(
            (r): r is MemoryRecord =>
              !!r &&
              r.updatedAt === before.get(r.id) &&
              (r.embedding?.model !== this.embedder?.model || this.vectors?.damaged.has(r.id) === true),
          )
          .map((r) => r.id),
      );
      await this.writeNow(
        embedded.filter((r) => keep.has(r.id)),
        vectors.filter((v) => keep.has(v.id)),
      );
    });
    return this.withoutVector().length;
  }

  /** Lexical candidates for a text, synchronously (usable inside `exclusive`), with each one's own terms. */
  similarTexts(text: string, k: number, accept: (facet: Facet) => boolean): { id: string; terms: ReadonlyMap<string, number> }[] {
    const hits = this.lexical.search(text, k, (id) => {
      const facet = this.facets.get(id);
      return !!facet && accept(facet);
    });
    return hits.flatMap((hit) => {
      const terms = this.lexical.termsOf(hit.id);
      return terms ? [{ id: hit.id, terms }] : [];
    });
  }

  vectorOf(id: string): Float32Array | undefined {
    return this.vectors?.vectorOf(id);
  }

  async search(query: string, resolved: ResolvedRecall, signal: AbortSignalLike | undefined): Promise<RecallHit[]> {
    this.checkOpen();
    const now = this.clock.now();
    const queryVector = await this.embedQuery(query, signal);
    await this.settle();
    throwIfAborted(signal);

    const facets = this.facets;
    const vectors = this.vectors;
    const ranked = rankRecall(
      {
        query,
        k: resolved.k,
        pool: Math.max(resolved.k * POOL_PER_HIT, MIN_POOL),
        filter: (id) => {
          const facet = facets.get(id);
          return !!facet && resolved.accepts(facet);
        },
        signals: analyseQuery(query, resolved.referenceTime, facets.speakers()),
        now,
        diversity: resolved.diversity,
      },
      this.lexical,
      facets,
      vectors && queryVector
        ? {
            vector: queryVector,
            search: (vector, k, f) => vectors.search(vector, k, f ? { filter: f } : {}),
            similarity: (vector, id) => vectors.similarity(vector, id),
            weights: this.fusion,
          }
        : undefined,
    );
    const records = await this.records.getMany(ranked.map((hit) => hit.id));
    const hits: RecallHit[] = [];
    ranked.forEach((hit, i) => {
      const record = records[i];
      // A record forgotten by another tab between search and read is simply not a hit.
      if (record) hits.push({ record, score: hit.score, scores: hit.scores });
    });
    if (resolved.expand > 0) await this.attachNeighbours(hits, resolved.expand);
    if (resolved.reinforce && hits.length > 0) this.reinforceLater(hits.map((hit) => hit.record.id));
    return hits;
  }

  async stats(): Promise<Omit<MemoryStats, 'consolidation'>> {
    this.checkOpen();
    await this.settle();
    const stats: Omit<MemoryStats, 'consolidation'> = {
      namespace: this.namespace,
      records: this.facets.size,
      byTier: this.facets.countByTier(),
      lexical: { documents: this.lexical.size, terms: this.lexical.termCount },
      ...(this.vectors && {
        vectors: { model: this.vectors.model, dims: this.vectors.dims, count: this.vectors.size, index: this.vectors.kind },
      }),
      ...(this.embedder?.info && { embedder: this.embedder.info }),
      quarantine: await this.quarantineReport(),
    };
    const storage = await this.store.estimate?.();
    if (storage) stats.storage = storage;
    const dataLoss = await this.store.readDataLoss?.();
    if (dataLoss) stats.dataLoss = dataLoss;
    return stats;
  }

  /**
   * Deletes quarantined records for good (`ids`, or all), with any vector they left, and logs the forget (hashes
   * only): unreadable rows still hold whatever text they held, so forgetting everything must reach them too.
   */
  async purgeQuarantine(ids?: readonly string[]): Promise<string[]> {
    this.checkOpen();
    return this.serial(async () => {
      const purged = await this.records.purgeQuarantined(ids);
      await this.scrubOrphanVectors(purged);
      if (purged.length > 0) await this.auditForget(purged);
      return purged;
    });
  }

  /** Deletes the store's report of a database the browser deleted as corrupt; true if there was one. */
  async acknowledgeDataLoss(): Promise<boolean> {
    this.checkOpen();
    return (await this.store.acknowledgeDataLoss?.()) ?? false;
  }

  /**
   * Checks every stored record and that the indexes hold exactly what they should (see integrity.ts). Run on a
   * freshly opened memory it checks what is on disk, since the indexes were just built from it.
   */
  integrity(): Promise<IntegrityReport> {
    this.checkOpen();
    return this.serial(async () => {
      await this.settleNow();
      const records: unknown[] = [];
      for await (const batch of this.store.scan(SCAN_BATCH)) records.push(...batch);
      const lexical = this.lexical;
      const vectors = this.vectors;
      return checkIntegrity({
        namespace: this.namespace,
        records,
        lexical: { size: lexical.size, has: (id) => lexical.termsOf(id) !== undefined },
        facets: { size: this.facets.size, has: (id) => this.facets.get(id) !== undefined },
        ...(vectors && { vectors: { model: vectors.model, dims: vectors.dims, kind: vectors.kind, ...vectors.inspect() } }),
        needsVector,
      });
    });
  }

  /** Unreadable rows found so far: records moved to the quarantine, vectors left out of the index. */
  private async quarantineReport(): Promise<QuarantineReport> {
    const items = await this.records.listQuarantined();
    return {
      records: items.length,
      vectors: this.vectors?.skipped ?? 0,
      items: items.slice(0, QUARANTINE_LISTED),
    };
  }

  /** The forget audit log (hashes only), oldest first. */
  async forgetLog(): Promise<ForgetAuditEntry[]> {
    this.checkOpen();
    return (await this.store.readForgetLog?.()) ?? [];
  }

  /** Waits for queued work, then releases the store. Every later call fails with CLOSED. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unsubscribe?.();
    await this.queue.catch(() => undefined);
    await this.store.close();
  }

  checkOpen(): void {
    if (this.closed) throw new MnemoError('CLOSED', `The memory "${this.namespace}" is closed.`);
  }

  /** The turns around each hit in its session, read in one go. */
  private async attachNeighbours(hits: RecallHit[], radius: number): Promise<void> {
    const around = hits.map((hit) => this.lexical.neighbours(hit.record.id, radius).map(([id]) => id));
    const records = await this.records.getMany(around.flat());
    let next = 0;
    hits.forEach((hit, i) => {
      const found = records.slice(next, (next += around[i]!.length)).filter((r): r is MemoryRecord => !!r);
      hit.neighbours = found.sort((a, b) => a.eventAt - b.eventAt || (a.id < b.id ? -1 : 1));
    });
  }

  /**
   * Strengthens recalled records on the forgetting curve. Queued behind the call, not awaited by it: a lost
   * update costs a little retention, never a memory.
   */
  private reinforceLater(ids: string[]): void {
    void this.serial(async () => {
      if (this.closed) return;
      const now = this.clock.now();
      const current = await this.records.getMany(ids);
      const updated = current.filter((r): r is MemoryRecord => !!r).map((r) => reinforce(r, now));
      if (updated.length === 0) return;
      await this.store.put(updated, []);
      for (const record of updated) this.facets.set(record);
    }).catch(() => undefined);
  }

  /** The query's embedding, checked and normalised, since `similarity` takes the dot product as the cosine. */
  private async embedQuery(query: string, signal: AbortSignalLike | undefined): Promise<Float32Array | undefined> {
    const embedder = this.embedder;
    if (!embedder) return undefined;
    const [vector] = await embedder.embed([query], signal ? { signal, kind: 'query' } : { kind: 'query' });
    return checkVector(vector, embedder.dims, 'embedding of the query');
  }

  private async embedRecords(records: readonly MemoryRecord[], signal: AbortSignalLike | undefined): Promise<VectorWrite[]> {
    const embedder = this.embedder;
    if (!embedder || records.length === 0) return [];
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
  private async syncVectors(options: { compactNow?: boolean } = {}): Promise<void> {
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
    if (vectors.needsCompaction && options.compactNow) {
      // A failure leaves the delete in the log: the next compaction, or the next open, erases the bytes.
      await vectors.compact(this.store).catch(() => undefined);
    } else if (vectors.needsCompaction) {
      // Queued behind this call, not awaited by it: the caller's write is already durable.
      void this.serial(() => (vectors.needsCompaction ? vectors.compact(this.store) : Promise.resolve())).catch(() => undefined);
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

  private index(record: MemoryRecord): void {
    this.lexical.upsert(lexicalDocumentOf(record));
    this.facets.set(record);
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
        for (const id of change.ids) {
          this.unindex(id);
          this.vectors?.removeOrphan(id);
        }
        return;
      }
      const records = await this.records.getMany(change.ids);
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
  async settle(): Promise<void> {
    this.checkOpen();
    return this.serial(() => this.settleNow());
  }

  private async settleNow(): Promise<void> {
    if (this.stale) await this.rebuild();
    if (this.vectorsBehind) await this.syncVectors();
  }

  private async rebuild(signal?: AbortSignalLike): Promise<void> {
    this.stale = true; // stays set if the scan fails part-way
    const lexical = new ContextualLexicalIndex();
    this.facets.clear();
    const docs: LexicalDocument[] = [];
    for await (const batch of this.records.scan(SCAN_BATCH)) {
      throwIfAborted(signal);
      for (const record of batch) {
        docs.push(lexicalDocumentOf(record));
        this.facets.set(record);
      }
    }
    lexical.load(docs);
    this.lexical = lexical;
    this.stale = false;
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
