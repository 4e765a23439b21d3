// One embedding model's vectors: the live index (flat, then HNSW past a size), kept in step with the store's
// vector log, and compacted into chunks plus a graph snapshot so the next open needs no rebuild.

import type { RecordStore, VectorChunk, VectorHit, VectorLogEntry, VectorSearchOptions } from '../ports.js';
import { VECTOR_CHUNK_SIZE } from '../ports.js';
import { FlatIndex } from './flat-index.js';
import { HnswIndex, type HnswOptions } from './hnsw-index.js';
import { checkHnswIntegrity, type HnswIntegrity } from './hnsw-integrity.js';
import { decodeHnswSnapshot, encodeHnswSnapshot } from './hnsw-snapshot.js';

export interface VectorCollectionOptions {
  model: string;
  dims: number;
  /** Vectors from which HNSW replaces the exact scan. Default 20,000 (see docs/BENCHMARKS.md). */
  hnswThreshold?: number;
  hnsw?: Omit<HnswOptions, 'dims'>;
  /** Vectors changed in the log after which `needsCompaction` turns true. Default 1,024. */
  compactAfter?: number;
  forceJs?: boolean;
}

export type IndexKind = 'flat' | 'hnsw';

/** An HNSW index being built from the flat one while the flat one keeps answering. */
interface Promotion {
  hnsw: HnswIndex;
  ids: string[];
  next: number;
  /** Log entries applied to the flat index since the build started, replayed on the graph at the end. */
  missed: VectorLogEntry[];
}

export class VectorCollection {
  readonly model: string;
  readonly dims: number;
  private readonly hnswThreshold: number;
  private readonly compactAfter: number;
  private index: FlatIndex | HnswIndex;
  private lastSeq = 0;
  private persistedThroughSeq = 0;
  private persistedChunks = 0;
  private pendingVectors = 0;
  // Set when the chunks on disk no longer match this index's slot layout (a rebuild, a failed compaction).
  private rewriteAll = false;
  private promotion: Promotion | undefined;
  /** Vectors left out because they were damaged on disk (NaN, truncated, malformed), reported by stats(). */
  skipped = 0;
  /** Ids whose vector was left out as damaged and not written again since: they need embedding again. */
  readonly damaged = new Set<string>();
  // Set when a forget must reach the disk: the next compaction runs whatever the log's length.
  private mustScrub = false;

  private constructor(private readonly options: VectorCollectionOptions) {
    this.model = options.model;
    this.dims = options.dims;
    this.hnswThreshold = options.hnswThreshold ?? 20_000;
    this.compactAfter = options.compactAfter ?? 1024;
    this.index = this.newFlat();
  }

  static async open(store: RecordStore, options: VectorCollectionOptions): Promise<VectorCollection> {
    const collection = new VectorCollection(options);
    await collection.reload(store);
    return collection;
  }

  get size(): number {
    return this.index.size;
  }

  /** Whether the WebAssembly SIMD kernels score the vectors (else the JavaScript fallback does). */
  get simd(): boolean {
    return this.index.simd;
  }

  get kind(): IndexKind {
    return this.index instanceof HnswIndex ? 'hnsw' : 'flat';
  }

  get needsCompaction(): boolean {
    // The flat layout is about to be replaced: compacting it now would be written again right after.
    return (this.pendingVectors >= this.compactAfter || this.rewriteAll || this.mustScrub) && !this.promotion;
  }

  /**
   * True after a vector was deleted (here or in another tab): its bytes are still in the chunk slot and log
   * entry that held it. The next `compact` rewrites those chunks with the slots emptied and deletes the folded
   * log, which is what erases them; the engine runs it right away.
   */
  get scrubPending(): boolean {
    return this.mustScrub;
  }

  /** True while an HNSW index is being built in the background; `promoteStep` advances it. */
  get promoting(): boolean {
    return this.promotion !== undefined;
  }

  /**
   * Inserts into the HNSW index under construction until `shouldStop()` says so (a time budget), then
   * returns; the last step replays what changed meanwhile and swaps the HNSW index in.
   */
  promoteStep(shouldStop: () => boolean): void {
    const promotion = this.promotion;
    if (!promotion) return;
    const flat = this.index as FlatIndex;
    while (promotion.next < promotion.ids.length) {
      const id = promotion.ids[promotion.next++]!;
      const vector = flat.vectorOf(id);
      if (vector) promotion.hnsw.upsert(id, vector);
      if (promotion.next % 16 === 0 && shouldStop()) return;
    }
    for (const entry of promotion.missed) {
      for (const id of entry.ids) {
        const vector = flat.vectorOf(id);
        if (vector) promotion.hnsw.upsert(id, vector);
        else promotion.hnsw.remove(id);
      }
    }
    this.index = promotion.hnsw;
    this.promotion = undefined;
    this.rewriteAll = true;
  }

  has(id: string): boolean {
    return this.index.has(id);
  }

  search(query: Float32Array, k: number, options?: VectorSearchOptions): VectorHit[] {
    return this.index.search(query, k, options);
  }

  /** The stored (normalised) vector of an id, for export. */
  vectorOf(id: string): Float32Array | undefined {
    return this.index.vectorOf(id);
  }

  /** Every live id with its stored vector, and the graph's own check when the index is HNSW: for the integrity check. */
  inspect(): { entries: () => Iterable<[string, Float32Array]>; graph?: HnswIntegrity } {
    const index = this.index;
    function* entries(): Iterable<[string, Float32Array]> {
      for (let slot = 0; slot < index.slotCount; slot++) {
        const id = index.idAt(slot);
        if (id !== undefined) yield [id, index.vectorAt(slot)];
      }
    }
    return index instanceof HnswIndex ? { entries, graph: checkHnswIntegrity(index) } : { entries };
  }

  /**
   * Drops the vector of a record that no longer exists although no delete was logged for it (a forget at a full
   * quota, where the store could not log it); the next compaction leaves it out of the chunks.
   */
  removeOrphan(id: string): boolean {
    if (!this.index.remove(id)) return false;
    this.pendingVectors++;
    this.mustScrub = true; // its bytes are still on disk, as after any delete
    this.promotion?.missed.push({ seq: this.lastSeq, kind: 'delete', ids: [id] });
    return true;
  }

  /** Cosine similarity of a normalised query to a stored vector, or undefined when the id has none. */
  similarity(query: Float32Array, id: string): number | undefined {
    const vector = this.index.vectorOf(id);
    if (!vector) return undefined;
    let dot = 0;
    for (let i = 0; i < vector.length; i++) dot += vector[i]! * query[i]!;
    return dot;
  }

  /** Applies what the log holds beyond what this collection has seen: this runtime's writes and other tabs'. */
  async catchUp(store: RecordStore): Promise<void> {
    const { entries, foldedThroughSeq } = await store.readVectorLog(this.lastSeq);
    // Another runtime folded entries this one never saw into chunks of its own layout: start again from disk.
    if (foldedThroughSeq > this.lastSeq) await this.reload(store);
    else this.apply(entries);
  }

  /** Folds the log into chunks (only those holding changed slots) and, for HNSW, a graph snapshot. */
  async compact(store: RecordStore): Promise<void> {
    const index = this.index;
    if (index instanceof HnswIndex) index.repair(); // a snapshot holds no tombstones
    const slotCount = index.slotCount;
    const dirty = index.takeDirtySlots();
    const chunkCount = Math.ceil(slotCount / VECTOR_CHUNK_SIZE);
    const touched = new Set<number>();
    if (this.rewriteAll) for (let c = 0; c < chunkCount; c++) touched.add(c);
    for (const slot of dirty) touched.add(Math.floor(slot / VECTOR_CHUNK_SIZE));
    const chunks = [...touched].filter((c) => c < chunkCount).map((c) => this.chunkOf(c, slotCount));
    const removeChunks: number[] = [];
    for (let c = chunkCount; c < this.persistedChunks; c++) removeChunks.push(c);
    const throughSeq = this.lastSeq;
    let written: boolean;
    try {
      written = await store.compactVectors({
        model: this.model,
        chunks,
        removeChunks,
        throughSeq,
        previousThroughSeq: this.persistedThroughSeq,
        ...(index instanceof HnswIndex && {
          snapshot: {
            name: snapshotName(this.model),
            model: this.model,
            throughSeq,
            bytes: encodeHnswSnapshot(index, { withData: false }),
          },
        }),
      });
    } catch (error) {
      this.rewriteAll = true; // the dirty slots were taken: write everything next time
      throw error;
    }
    if (!written) return this.reload(store);
    this.persistedThroughSeq = throughSeq;
    this.persistedChunks = chunkCount;
    this.pendingVectors = 0;
    this.rewriteAll = false;
    this.mustScrub = false;
  }

  private apply(entries: readonly VectorLogEntry[]): void {
    for (const entry of entries) {
      if (entry.seq <= this.lastSeq) continue;
      const shape = logEntryShape(entry, this.model, this.dims);
      if (shape === 'delete') {
        for (const id of entry.ids) {
          // A vector deleted, whoever deleted it, leaves bytes on disk to erase: fold the log soon. Crash-safe,
          // since the delete entry is durable: a runtime that opens after a crash sees it and scrubs.
          if (this.index.remove(id)) this.mustScrub = true;
          this.damaged.delete(id);
        }
      } else if (shape === 'put') {
        entry.ids.forEach((id, i) => {
          try {
            this.index.upsert(id, (entry as PutEntry).vectors.subarray(i * this.dims, (i + 1) * this.dims));
            this.damaged.delete(id);
          } catch {
            // A damaged vector on disk (NaN, zeros) is left out rather than failing every open after it.
            this.leaveOut(id);
          }
        });
      } else if (shape === 'other-model') {
        // A vector of another model replaces this model's one: that record needs re-embedding.
        for (const id of entry.ids) this.index.remove(id);
      } else {
        // Truncated or malformed: whatever ids can be read lose their vector and are embedded again.
        for (const id of readableIds(entry)) this.leaveOut(id);
        if (readableIds(entry).length === 0) this.skipped++;
      }
      this.lastSeq = entry.seq;
      this.pendingVectors += readableIds(entry).length;
      this.promotion?.missed.push({ ...entry, ids: readableIds(entry) });
    }
    const flat = this.index;
    if (flat instanceof FlatIndex && flat.size >= this.hnswThreshold && !this.promotion) {
      const ids: string[] = [];
      for (let slot = 0; slot < flat.slotCount; slot++) {
        const id = flat.idAt(slot);
        if (id !== undefined) ids.push(id);
      }
      this.promotion = { hnsw: this.newHnsw(), ids, next: 0, missed: [] };
    }
  }

  private leaveOut(id: string): void {
    this.index.remove(id);
    this.damaged.add(id);
    this.skipped++;
  }

  private async reload(store: RecordStore): Promise<void> {
    const chunks: VectorChunk[] = [];
    let damagedChunks = false;
    // Chunk numbers on disk, the unreadable ones included, so a compaction deletes those past the end.
    let storedChunks = 0;
    for await (const stored of store.readVectorChunks(this.model)) {
      if (isObject(stored) && stored.dims !== this.dims) continue; // another size of this model name: not ours
      const number = isObject(stored) ? stored['chunk'] : undefined;
      if (typeof number === 'number' && Number.isInteger(number)) storedChunks = Math.max(storedChunks, number + 1);
      const chunk = this.checkChunk(stored);
      if (chunk !== stored) damagedChunks = true;
      if (chunk) chunks.push(chunk);
    }
    const { entries, foldedThroughSeq } = await store.readVectorLog(0);
    const snapshot = await store.readIndexSnapshot(snapshotName(this.model));
    const last = chunks[chunks.length - 1];
    const slotCount = last ? last.chunk * VECTOR_CHUNK_SIZE + last.ids.length : 0;
    const ids: (string | undefined)[] = new Array<string | undefined>(slotCount);
    let live = 0;
    for (const chunk of chunks) {
      chunk.ids.forEach((id, i) => {
        ids[chunk.chunk * VECTOR_CHUNK_SIZE + i] = id ?? undefined;
        if (id !== null) live++;
      });
    }
    const vectorOf = (chunk: VectorChunk, i: number) => chunk.data.subarray(i * this.dims, (i + 1) * this.dims);

    this.rewriteAll = false;
    this.mustScrub = false;
    this.promotion = undefined;
    const hnsw =
      snapshot && snapshot.model === this.model && snapshot.throughSeq === foldedThroughSeq && live > 0 && !damagedChunks
        ? this.decodeSnapshot(snapshot.bytes, ids)
        : undefined;
    if (hnsw) {
      // The graph as it was compacted, vectors straight from the chunks into their slots: no rebuild.
      for (const chunk of chunks) hnsw.loadVectors(chunk.chunk * VECTOR_CHUNK_SIZE, chunk.data, chunk.ids.length);
      this.index = hnsw;
    } else {
      // Without a usable snapshot even a large collection opens flat (exact, at once) and is promoted to
      // HNSW in the background by `apply` below.
      const flat = this.newFlat();
      for (const chunk of chunks) {
        // A dense chunk (the usual case) loads in one copy; one with holes vector by vector.
        if (!chunk.ids.includes(null)) flat.loadPacked(chunk.ids as string[], chunk.data);
        else chunk.ids.forEach((id, i) => id !== null && flat.loadPacked([id], vectorOf(chunk, i)));
      }
      // Flat slots are dense; chunks written by flat are dense too, so the layouts agree unless there were holes.
      this.rewriteAll = live !== slotCount || damagedChunks;
      this.index = flat;
    }
    this.index.takeDirtySlots();
    this.persistedChunks = Math.max(last ? last.chunk + 1 : 0, storedChunks);
    this.persistedThroughSeq = foldedThroughSeq;
    this.lastSeq = foldedThroughSeq;
    this.pendingVectors = 0;
    this.apply(entries);
  }

  /** A snapshot that cannot be read (damaged, an unknown format version) costs a rebuild, never the open. */
  private decodeSnapshot(bytes: Uint8Array, ids: (string | undefined)[]): HnswIndex | undefined {
    try {
      return decodeHnswSnapshot(bytes, {
        ids,
        ...(this.options.forceJs !== undefined && { forceJs: this.options.forceJs }),
      });
    } catch {
      this.rewriteAll = true;
      return undefined;
    }
  }

  /**
   * `stored` if it is sound; a copy with its damaged slots emptied (NaN, infinite or zero vectors); or
   * undefined when it cannot be read at all (truncated data, wrong types). Left-out ids are embedded again.
   */
  private checkChunk(stored: unknown): VectorChunk | undefined {
    const dims = this.dims;
    const chunk = stored as VectorChunk;
    const sound =
      isObject(stored) &&
      Number.isInteger(chunk.chunk) &&
      chunk.chunk >= 0 &&
      Array.isArray(chunk.ids) &&
      chunk.ids.length <= VECTOR_CHUNK_SIZE &&
      chunk.ids.every((id) => id === null || typeof id === 'string') &&
      chunk.data instanceof Float32Array &&
      chunk.data.length === chunk.ids.length * dims;
    if (!sound) {
      for (const id of readableIds(stored)) this.leaveOut(id);
      if (readableIds(stored).length === 0) this.skipped++;
      return undefined;
    }
    let repaired: VectorChunk | undefined;
    chunk.ids.forEach((id, i) => {
      if (id === null || isUsable(chunk.data, i * dims, dims)) return;
      repaired ??= { ...chunk, ids: [...chunk.ids], data: chunk.data.slice() };
      repaired.ids[i] = null;
      repaired.data.fill(0, i * dims, (i + 1) * dims);
      this.damaged.add(id);
      this.skipped++;
    });
    return repaired ?? chunk;
  }

  private chunkOf(chunk: number, slotCount: number): VectorChunk {
    const start = chunk * VECTOR_CHUNK_SIZE;
    const count = Math.min(VECTOR_CHUNK_SIZE, slotCount - start);
    const data = new Float32Array(count * this.dims);
    const ids: (string | null)[] = [];
    for (let i = 0; i < count; i++) {
      const id = this.index.idAt(start + i);
      ids.push(id ?? null);
      if (id !== undefined) data.set(this.index.vectorAt(start + i), i * this.dims);
    }
    return { chunk, model: this.model, dims: this.dims, ids, data };
  }

  private newFlat(): FlatIndex {
    return new FlatIndex({ dims: this.dims, ...(this.options.forceJs !== undefined && { forceJs: this.options.forceJs }) });
  }

  private newHnsw(): HnswIndex {
    return new HnswIndex({
      ...this.options.hnsw,
      dims: this.dims,
      ...(this.options.forceJs !== undefined && { forceJs: this.options.forceJs }),
    });
  }
}

type PutEntry = Extract<VectorLogEntry, { kind: 'put' }>;

/** What a log entry read from disk is, checked field by field: rows can be damaged like any other. */
function logEntryShape(entry: unknown, model: string, dims: number): 'put' | 'delete' | 'other-model' | 'damaged' {
  if (!isObject(entry) || !Array.isArray(entry['ids']) || !entry['ids'].every((id) => typeof id === 'string')) {
    return 'damaged';
  }
  if (entry['kind'] === 'delete') return 'delete';
  if (entry['kind'] !== 'put' || typeof entry['model'] !== 'string') return 'damaged';
  if (entry['model'] !== model) return 'other-model';
  const vectors = entry['vectors'];
  return vectors instanceof Float32Array && vectors.length === entry['ids'].length * dims ? 'put' : 'damaged';
}

function readableIds(value: unknown): string[] {
  const ids = isObject(value) ? value['ids'] : undefined;
  return Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Finite and not all zeros: a vector an index can take. */
function isUsable(data: Float32Array, from: number, dims: number): boolean {
  let norm = 0;
  for (let i = from; i < from + dims; i++) {
    const x = data[i]!;
    if (!Number.isFinite(x)) return false;
    norm += x * x;
  }
  return norm > 1e-30;
}

function snapshotName(model: string): string {
  return `hnsw:${model}`;
}
