// The exact index: every vector scored per query by SIMD kernels; optionally an int8 scan with exact rescoring.

import type { VectorHit, VectorSearchOptions } from '../ports.js';
import type { SlottedIndex } from './slotted-index.js';
import { checkDims, checkVector } from './vector-checks.js';
import { Float32Space, Int8Space, SCORE_BLOCK } from './vector-space.js';
import { TopK } from './top-k.js';

export interface FlatIndexOptions {
  dims: number;
  /**
   * 'int8' scans quantised copies (a quarter of the memory traffic) and rescores the best
   * `rescoreFactor * k` candidates with the float vectors, which are kept: results are exact
   * whenever the true top k are among those candidates.
   */
  quantization?: 'none' | 'int8';
  /** Candidates per result rescored in int8 mode; default 8, measured in docs/BENCHMARKS.md. */
  rescoreFactor?: number;
  /** Use the JavaScript kernels even where WebAssembly SIMD exists (tests, benchmarks). */
  forceJs?: boolean;
}

export class FlatIndex implements SlottedIndex {
  readonly dims: number;
  readonly quantization: 'none' | 'int8';
  private readonly rescoreFactor: number;
  private readonly floats: Float32Space;
  private readonly codes: Int8Space | undefined;
  // Slots are dense [0, size): a removal moves the last vector into the hole.
  private readonly idOfSlot: string[] = [];
  private readonly slotOfId = new Map<string, number>();
  private readonly blockScores = new Float32Array(SCORE_BLOCK);
  private dirty = new Set<number>();
  /** The highest slot count since the dirty set was taken: slots past `size` were emptied. */
  private slotHighWater = 0;

  constructor(options: FlatIndexOptions) {
    this.dims = checkDims(options.dims);
    this.quantization = options.quantization ?? 'none';
    this.rescoreFactor = options.rescoreFactor ?? 8;
    const space = { forceJs: options.forceJs ?? false };
    this.floats = new Float32Space(this.dims, space);
    this.codes = this.quantization === 'int8' ? new Int8Space(this.dims, space) : undefined;
  }

  get size(): number {
    return this.idOfSlot.length;
  }

  get simd(): boolean {
    return this.floats.simd;
  }

  has(id: string): boolean {
    return this.slotOfId.has(id);
  }

  upsert(id: string, vector: Float32Array): void {
    this.place(id, checkVector(vector, this.dims));
  }

  /**
   * Restores persisted vectors (already normalised) after the ones present, skipping the checks of `upsert`
   * and the change tracking: they are what is on disk. Ids must be new.
   */
  loadPacked(ids: readonly string[], packed: Float32Array): void {
    const first = this.idOfSlot.length;
    this.floats.writeMany(first, packed, ids.length);
    ids.forEach((id, i) => {
      this.idOfSlot.push(id);
      this.slotOfId.set(id, first + i);
      this.codes?.write(first + i, packed.subarray(i * this.dims, (i + 1) * this.dims));
    });
    this.slotHighWater = Math.max(this.slotHighWater, this.idOfSlot.length);
  }

  private place(id: string, normalised: Float32Array): void {
    let slot = this.slotOfId.get(id);
    if (slot === undefined) {
      slot = this.idOfSlot.length;
      this.idOfSlot.push(id);
      this.slotOfId.set(id, slot);
    }
    this.floats.write(slot, normalised);
    this.codes?.write(slot, normalised);
    this.dirty.add(slot);
    this.slotHighWater = Math.max(this.slotHighWater, this.idOfSlot.length);
  }

  remove(id: string): boolean {
    const slot = this.slotOfId.get(id);
    if (slot === undefined) return false;
    const last = this.idOfSlot.length - 1;
    if (slot !== last) {
      const movedId = this.idOfSlot[last]!;
      this.floats.move(last, slot);
      this.codes?.move(last, slot);
      this.idOfSlot[slot] = movedId;
      this.slotOfId.set(movedId, slot);
    }
    this.idOfSlot.pop();
    this.slotOfId.delete(id);
    // The last slot now holds a copy (moved) or the removed vector itself: neither is needed.
    this.floats.clear(last);
    this.codes?.clear(last);
    this.dirty.add(slot).add(last);
    return true;
  }

  /** Slots stay dense, but persistence must also see the slots emptied since its last look. */
  get slotCount(): number {
    return Math.max(this.slotHighWater, this.idOfSlot.length);
  }

  idAt(slot: number): string | undefined {
    return this.idOfSlot[slot];
  }

  vectorAt(slot: number): Float32Array {
    return this.floats.read(slot);
  }

  takeDirtySlots(): Set<number> {
    const dirty = this.dirty;
    this.dirty = new Set();
    this.slotHighWater = this.idOfSlot.length;
    return dirty;
  }

  /** The stored (normalised) vector of `id`, if any. */
  vectorOf(id: string): Float32Array | undefined {
    const slot = this.slotOfId.get(id);
    return slot === undefined ? undefined : this.floats.read(slot);
  }

  search(query: Float32Array, k: number, options: VectorSearchOptions = {}): VectorHit[] {
    const q = checkVector(query, this.dims, 'query');
    if (k <= 0 || this.size === 0) return [];
    const filter = options.filter;
    if (this.codes) return this.searchInt8(q, k, filter);
    this.floats.setQuery(q);
    const top = new TopK(Math.min(k, this.size));
    for (let start = 0; start < this.size; start += SCORE_BLOCK) {
      const count = Math.min(SCORE_BLOCK, this.size - start);
      const scores = this.floats.scoreBlock(start, count);
      for (let i = 0; i < count; i++) {
        const score = scores[i]!;
        // The filter is pushed into the scan and only asked about candidates that would enter the top k.
        if (score > top.threshold && (!filter || filter(this.idOfSlot[start + i]!))) top.push(start + i, score);
      }
    }
    return top.sorted().map(({ slot, score }) => ({ id: this.idOfSlot[slot]!, score }));
  }

  private searchInt8(q: Float32Array, k: number, filter: ((id: string) => boolean) | undefined): VectorHit[] {
    const codes = this.codes!;
    codes.setQuery(q);
    const shortlist = new TopK(Math.min(this.size, k * this.rescoreFactor));
    const scores = this.blockScores;
    for (let start = 0; start < this.size; start += SCORE_BLOCK) {
      const count = Math.min(SCORE_BLOCK, this.size - start);
      codes.scoreBlock(start, count, scores);
      for (let i = 0; i < count; i++) {
        const score = scores[i]!;
        if (score > shortlist.threshold && (!filter || filter(this.idOfSlot[start + i]!))) shortlist.push(start + i, score);
      }
    }
    // Exact rescoring of the shortlist with the float vectors.
    this.floats.setQuery(q);
    const top = new TopK(Math.min(k, shortlist.size));
    for (let i = 0; i < shortlist.size; i++) {
      const slot = shortlist.slots[i]!;
      top.push(slot, this.floats.scoreSlot(slot));
    }
    return top.sorted().map(({ slot, score }) => ({ id: this.idOfSlot[slot]!, score }));
  }
}
