// HNSW (Malkov & Yashunin): approximate nearest neighbours with incremental insert, tombstone delete and repair.

import type { VectorHit, VectorSearchOptions } from '../ports.js';
import { MaxHeap } from './heaps.js';
import { HnswGraph } from './hnsw-graph.js';
import { SeededRandom } from './seeded-random.js';
import type { SlottedIndex } from './slotted-index.js';
import { TopK } from './top-k.js';
import { checkDims, checkVector } from './vector-checks.js';
import { Float32Space, MAX_GATHER, SCORE_BLOCK } from './vector-space.js';

export interface HnswOptions {
  dims: number;
  /** Links per node on upper levels (2M on level 0). Default 16. */
  M?: number;
  /** Candidate list while inserting. Default 200. */
  efConstruction?: number;
  /** Candidate list while searching; raised to k when smaller. Default 128 (see docs/BENCHMARKS.md). */
  efSearch?: number;
  /** Seed of the level draws: the same inserts in the same order build the same graph. */
  seed?: number;
  /** Repair the graph once this share of its nodes are tombstones. Default 0.1. */
  repairRatio?: number;
  forceJs?: boolean;
}

/** What a snapshot carries; see hnsw-snapshot.ts. */
export interface HnswState {
  dims: number;
  M: number;
  efConstruction: number;
  efSearch: number;
  repairRatio: number;
  randomState: number;
  entry: number;
  maxLevel: number;
  slots: number;
  idOfSlot: (string | undefined)[];
  deleted: Uint8Array;
  freeSlots: number[];
  graph: HnswGraph;
  /** Raw slot vectors (stride-padded float32); absent when the caller loads them with `loadVectors`. */
  vectors?: Uint8Array;
}

export class HnswIndex implements SlottedIndex {
  readonly dims: number;
  readonly M: number;
  readonly efConstruction: number;
  efSearch: number;
  private readonly repairRatio: number;
  private readonly random: SeededRandom;
  private readonly levelFactor: number;
  private readonly space: Float32Space;
  private readonly graph: HnswGraph;
  private readonly idOfSlot: (string | undefined)[] = [];
  private readonly slotOfId = new Map<string, number>();
  private deleted = new Uint8Array(0);
  private tombstones = 0;
  private freeSlots: number[] = [];
  private nextSlot = 0;
  private dirty = new Set<number>();
  private entry = -1;
  private maxLevel = -1;
  // Scratch reused by every search: visit marks by epoch, the candidate queue, the gather list.
  private visited = new Uint32Array(0);
  private epoch = 0;
  private readonly candidates = new MaxHeap();
  // One result set, reset by every layer search and read before the next one.
  private readonly results = new TopK(1);
  private readonly gather = new Int32Array(MAX_GATHER);

  constructor(options: HnswOptions) {
    this.dims = checkDims(options.dims);
    this.M = options.M ?? 16;
    this.efConstruction = options.efConstruction ?? 200;
    this.efSearch = options.efSearch ?? 128;
    this.repairRatio = options.repairRatio ?? 0.1;
    this.random = new SeededRandom(options.seed ?? 42);
    this.levelFactor = 1 / Math.log(this.M);
    this.space = new Float32Space(this.dims, { forceJs: options.forceJs ?? false });
    this.graph = new HnswGraph(this.M);
  }

  get size(): number {
    return this.slotOfId.size;
  }

  get simd(): boolean {
    return this.space.simd;
  }

  has(id: string): boolean {
    return this.slotOfId.has(id);
  }

  /** Inserts, or replaces the vector of an existing id (the old node becomes a tombstone). */
  upsert(id: string, vector: Float32Array): void {
    const normalised = checkVector(vector, this.dims);
    if (this.slotOfId.has(id)) this.remove(id);
    // Only tombstones left: clear them so the new node does not start from a dead entry point.
    if (this.size === 0 && this.tombstones > 0) this.repair();
    const slot = this.freeSlots.pop() ?? this.nextSlot++;
    this.ensureCapacity(slot + 1);
    this.space.write(slot, normalised);
    this.dirty.add(slot);
    this.idOfSlot[slot] = id;
    this.slotOfId.set(id, slot);
    this.deleted[slot] = 0;
    this.link(slot, Math.min(255, Math.floor(-Math.log(this.random.next()) * this.levelFactor)));
  }

  remove(id: string): boolean {
    const slot = this.slotOfId.get(id);
    if (slot === undefined) return false;
    this.slotOfId.delete(id);
    this.deleted[slot] = 1;
    this.dirty.add(slot);
    this.tombstones++;
    // The tombstone stays in the graph as a bridge for searches until the repair unlinks it.
    if (this.tombstones > this.repairRatio * (this.size + this.tombstones)) this.repair();
    return true;
  }

  search(query: Float32Array, k: number, options: VectorSearchOptions = {}): VectorHit[] {
    const q = checkVector(query, this.dims, 'query');
    if (k <= 0 || this.size === 0) return [];
    const filter = options.filter;
    const accept = (slot: number) => this.deleted[slot] === 0 && (!filter || filter(this.idOfSlot[slot]!));
    this.space.setQuery(q);
    let ef = Math.max(options.efSearch ?? this.efSearch, k);
    for (;;) {
      const found = this.searchGraph(ef, accept);
      if (found.size >= Math.min(k, this.size)) return this.hits(found, k);
      // A selective filter left too few: widen the beam, then fall back to an exact scan of what passes.
      if (ef >= 4 * this.efSearch || ef >= this.size) return this.hits(this.scanAll(k, accept), k);
      ef *= 2;
    }
  }

  /** Unlinks every tombstone: each live neighbour of one is re-linked among the tombstone's live neighbours. */
  repair(): void {
    if (this.tombstones === 0) return;
    const graph = this.graph;
    for (let slot = 0; slot < this.nextSlot; slot++) {
      if (this.idOfSlot[slot] === undefined || this.deleted[slot]) continue;
      for (let level = 0; level <= graph.levelOf[slot]!; level++) {
        const neighbours = graph.neighbours(slot, level);
        if (!neighbours.some((n) => this.deleted[n])) continue;
        const candidates = new Set<number>();
        for (const n of neighbours) {
          if (!this.deleted[n]) candidates.add(n);
          else for (const m of graph.neighbours(n, level)) if (m !== slot && !this.deleted[m]) candidates.add(m);
        }
        // A node that lost most of its neighbourhood searches for a new one instead of keeping a few stragglers.
        if (candidates.size < graph.maxDegree(level) / 2) for (const m of this.nearestLive(slot, level)) candidates.add(m);
        graph.setNeighbours(slot, level, this.selectNeighbours(slot, [...candidates], graph.maxDegree(level)));
      }
    }
    for (let slot = 0; slot < this.nextSlot; slot++) {
      if (!this.deleted[slot] || this.idOfSlot[slot] === undefined) continue;
      graph.clear(slot);
      this.space.clear(slot); // the removed vector's bytes go with it
      this.idOfSlot[slot] = undefined;
      this.deleted[slot] = 0;
      this.freeSlots.push(slot);
    }
    this.tombstones = 0;
    if (this.entry >= 0 && this.idOfSlot[this.entry] === undefined) this.chooseEntry();
    // Reuse low slots first, so a snapshot after churn stays compact.
    this.freeSlots.sort((a, b) => b - a);
  }

  get slotCount(): number {
    return this.nextSlot;
  }

  get tombstoneCount(): number {
    return this.tombstones;
  }

  idAt(slot: number): string | undefined {
    return this.deleted[slot] ? undefined : this.idOfSlot[slot];
  }

  vectorAt(slot: number): Float32Array {
    return this.space.read(slot);
  }

  vectorOf(id: string): Float32Array | undefined {
    const slot = this.slotOfId.get(id);
    return slot === undefined ? undefined : this.space.read(slot);
  }

  takeDirtySlots(): Set<number> {
    const dirty = this.dirty;
    this.dirty = new Set();
    return dirty;
  }

  /** Writes stored (already normalised) vectors, packed end to end, into slots from `first` while restoring. */
  loadVectors(first: number, packed: Float32Array, count: number): void {
    this.space.writeMany(first, packed, count);
  }

  /** The internal state, for snapshots and the integrity check; not a copy. */
  state(options: { withVectors?: boolean } = {}): HnswState {
    return {
      dims: this.dims,
      M: this.M,
      efConstruction: this.efConstruction,
      efSearch: this.efSearch,
      repairRatio: this.repairRatio,
      randomState: this.random.state,
      entry: this.entry,
      maxLevel: this.maxLevel,
      slots: this.nextSlot,
      idOfSlot: this.idOfSlot,
      deleted: this.deleted,
      freeSlots: this.freeSlots,
      graph: this.graph,
      ...(options.withVectors !== false && { vectors: this.space.exportSlots(this.nextSlot) }),
    };
  }

  /** Rebuilds an index from a snapshot's state without re-inserting anything. */
  static fromState(state: HnswState, options: { forceJs?: boolean } = {}): HnswIndex {
    const index = new HnswIndex({
      dims: state.dims,
      M: state.M,
      efConstruction: state.efConstruction,
      efSearch: state.efSearch,
      repairRatio: state.repairRatio,
      seed: state.randomState,
      ...(options.forceJs !== undefined && { forceJs: options.forceJs }),
    });
    index.random.state = state.randomState;
    index.nextSlot = state.slots;
    index.ensureCapacity(state.slots);
    if (state.vectors) index.space.importSlots(state.vectors, state.slots);
    index.graph.levelOf.set(state.graph.levelOf.subarray(0, state.slots));
    index.graph.links0.set(state.graph.links0.subarray(0, state.slots * (index.graph.M0 + 1)));
    for (let slot = 0; slot < state.slots; slot++) index.graph.upper[slot] = state.graph.upper[slot];
    index.deleted.set(state.deleted.subarray(0, state.slots));
    index.freeSlots = [...state.freeSlots];
    index.entry = state.entry;
    index.maxLevel = state.maxLevel;
    for (let slot = 0; slot < state.slots; slot++) {
      const id = state.idOfSlot[slot];
      index.idOfSlot[slot] = id;
      if (id === undefined) continue;
      if (state.deleted[slot]) index.tombstones++;
      else index.slotOfId.set(id, slot);
    }
    return index;
  }

  private link(slot: number, level: number): void {
    const graph = this.graph;
    graph.init(slot, level);
    if (this.entry < 0) {
      this.entry = slot;
      this.maxLevel = level;
      return;
    }
    this.space.setQueryFromSlot(slot);
    let entry = this.entry;
    let entryScore = this.space.scoreSlot(entry);
    for (let l = this.maxLevel; l > level; l--) [entry, entryScore] = this.greedy(entry, entryScore, l);
    // New nodes link to live nodes only, so they never depend on a tombstone for their reachability.
    const live = (s: number) => this.deleted[s] === 0 && s !== slot;
    for (let l = Math.min(level, this.maxLevel); l >= 0; l--) {
      const found = this.searchLayer([entry], [entryScore], this.efConstruction, l, live);
      found.sortDescending();
      const size = found.size;
      if (size > 0) [entry, entryScore] = [found.slots[0]!, found.scores[0]!];
      const neighbours = this.selectSorted(found.slots, found.scores, size, this.M);
      graph.setNeighbours(slot, l, neighbours);
      for (const n of neighbours) {
        if (!graph.tryAdd(n, l, slot))
          graph.setNeighbours(n, l, this.selectNeighbours(n, [...graph.neighbours(n, l), slot], graph.maxDegree(l)));
      }
    }
    if (level > this.maxLevel) {
      this.entry = slot;
      this.maxLevel = level;
    }
  }

  /** Greedy descent on one level: move to the best neighbour until none is better. */
  private greedy(entry: number, entryScore: number, level: number): [number, number] {
    for (let improved = true; improved;) {
      improved = false;
      const list = this.graph.list(entry, level);
      const base = this.graph.base(entry, level);
      const count = list[base]!;
      const scores = this.space.scoreGather(list, base + 1, count);
      let best = -1;
      for (let i = 0; i < count; i++) {
        if (scores[i]! > entryScore) {
          entryScore = scores[i]!;
          best = list[base + 1 + i]!;
        }
      }
      if (best >= 0) {
        entry = best;
        improved = true;
      }
    }
    return [entry, entryScore];
  }

  /** Algorithm 2 of the paper: best-first search of one level; only `accept`ed nodes enter the results. */
  private searchLayer(
    entries: number[],
    entryScores: number[],
    ef: number,
    level: number,
    accept: (slot: number) => boolean,
  ): TopK {
    const epoch = this.nextEpoch();
    const visited = this.visited;
    const candidates = this.candidates;
    const results = this.results.reset(ef);
    const graph = this.graph;
    candidates.clear();
    entries.forEach((slot, i) => {
      visited[slot] = epoch;
      candidates.push(slot, entryScores[i]!);
      if (accept(slot)) results.push(slot, entryScores[i]!);
    });
    while (candidates.size > 0) {
      if (candidates.topScore < results.threshold) break;
      const current = candidates.pop();
      const list = level === 0 ? graph.links0 : graph.upper[current]!;
      const base = level === 0 ? current * (graph.M0 + 1) : (level - 1) * (graph.M + 1);
      const count = list[base]!;
      let fresh = 0;
      for (let i = 1; i <= count; i++) {
        const n = list[base + i]!;
        if (visited[n] !== epoch) {
          visited[n] = epoch;
          this.gather[fresh++] = n;
        }
      }
      if (fresh === 0) continue;
      const scores = this.space.scoreGather(this.gather, 0, fresh);
      for (let i = 0; i < fresh; i++) {
        const score = scores[i]!;
        if (score > results.threshold) {
          const n = this.gather[i]!;
          candidates.push(n, score);
          if (accept(n)) results.push(n, score);
        }
      }
    }
    return results;
  }

  private searchGraph(ef: number, accept: (slot: number) => boolean): TopK {
    let entry = this.entry;
    let entryScore = this.space.scoreSlot(entry);
    for (let l = this.maxLevel; l > 0; l--) [entry, entryScore] = this.greedy(entry, entryScore, l);
    return this.searchLayer([entry], [entryScore], ef, 0, accept);
  }

  /** Exact scan of every accepted node: the fallback for filters too selective for the graph. */
  private scanAll(k: number, accept: (slot: number) => boolean): TopK {
    const top = new TopK(k);
    for (let start = 0; start < this.nextSlot; start += SCORE_BLOCK) {
      const count = Math.min(SCORE_BLOCK, this.nextSlot - start);
      const scores = this.space.scoreBlock(start, count);
      for (let i = 0; i < count; i++) {
        const slot = start + i;
        if (scores[i]! > top.threshold && this.idOfSlot[slot] !== undefined && accept(slot)) top.push(slot, scores[i]!);
      }
    }
    return top;
  }

  /**
   * The paper's heuristic (Algorithm 4): take candidates best first, keeping one only if it is closer to
   * `base` than to every one kept, so links spread in all directions instead of clustering.
   */
  private selectNeighbours(base: number, candidates: number[], max: number): number[] {
    const scored = candidates
      .filter((slot) => slot !== base)
      .map((slot) => ({ slot, score: this.space.dotSlots(base, slot) }))
      .sort((a, b) => b.score - a.score);
    return this.selectSorted(
      scored.map((c) => c.slot),
      scored.map((c) => c.score),
      scored.length,
      max,
    );
  }

  /** The heuristic over candidates already sorted best first, with their scores to the base node. */
  private selectSorted(slots: ArrayLike<number>, scores: ArrayLike<number>, count: number, max: number): number[] {
    const kept: number[] = [];
    for (let i = 0; i < count && kept.length < max; i++) {
      const slot = slots[i]!;
      const score = scores[i]!;
      let diverse = true;
      for (let j = 0; j < kept.length && diverse; j++) diverse = this.space.dotSlots(slot, kept[j]!) < score;
      if (diverse) kept.push(slot);
    }
    return kept;
  }

  /** Live nodes near stored node `slot` on `level`, found by a search from the entry point. */
  private nearestLive(slot: number, level: number): number[] {
    if (this.entry < 0) return [];
    this.space.setQueryFromSlot(slot);
    let entry = this.entry;
    let entryScore = this.space.scoreSlot(entry);
    for (let l = this.maxLevel; l > level; l--) [entry, entryScore] = this.greedy(entry, entryScore, l);
    const live = (s: number) => this.deleted[s] === 0 && s !== slot;
    const found = this.searchLayer([entry], [entryScore], this.efConstruction, level, live);
    found.sortDescending();
    return Array.from(found.slots.subarray(0, found.size));
  }

  private chooseEntry(): void {
    this.entry = -1;
    this.maxLevel = -1;
    for (let slot = 0; slot < this.nextSlot; slot++) {
      if (this.idOfSlot[slot] !== undefined && !this.deleted[slot] && this.graph.levelOf[slot]! > this.maxLevel) {
        this.entry = slot;
        this.maxLevel = this.graph.levelOf[slot]!;
      }
    }
  }

  private hits(found: TopK, k: number): VectorHit[] {
    found.sortDescending();
    const hits: VectorHit[] = [];
    for (let i = 0; i < Math.min(k, found.size); i++) hits.push({ id: this.idOfSlot[found.slots[i]!]!, score: found.scores[i]! });
    return hits;
  }

  private nextEpoch(): number {
    if (++this.epoch === 0xffffffff) {
      this.visited.fill(0);
      this.epoch = 1;
    }
    return this.epoch;
  }

  private ensureCapacity(slots: number): void {
    this.space.ensureCapacity(slots);
    this.graph.ensureCapacity(slots);
    if (slots > this.deleted.length) {
      const capacity = Math.max(slots, this.deleted.length * 2, 1024);
      const deleted = new Uint8Array(capacity);
      deleted.set(this.deleted);
      this.deleted = deleted;
      this.visited = new Uint32Array(capacity);
      this.epoch = 0;
    }
  }
}
