// Dense slot-addressed vector storage inside a kernel's linear memory, scored in place without copying.

import { createKernels, type Kernels } from './kernels.js';

const PAGE = 65536;
/** Scores per kernel call: scans run in blocks so the score buffer stays small and in cache. */
export const SCORE_BLOCK = 1024;
/** The largest neighbour list a gather scores at once. */
export const MAX_GATHER = 1024;

/** Elements per stored vector: a multiple of 16, so kernels need no tail loop. */
export function strideOf(dims: number): number {
  return Math.ceil(dims / 16) * 16;
}

/**
 * Memory layout, in bytes: [query | scores (SCORE_BLOCK x 4) | gather slots (MAX_GATHER x 4) | vectors...].
 * Views are re-created after the memory grows, since growing detaches the old buffer.
 */
abstract class KernelSpace {
  readonly stride: number;
  protected readonly kernels: Kernels;
  protected readonly queryAt = 0;
  protected readonly scoresAt: number;
  protected readonly slotsAt: number;
  protected readonly vectorsAt: number;
  private capacitySlots = 0;
  protected f32!: Float32Array;
  protected i32!: Int32Array;
  protected i8!: Int8Array;

  constructor(
    readonly dims: number,
    protected readonly bytesPerElement: 1 | 4,
    forceJs: boolean,
  ) {
    this.stride = strideOf(dims);
    this.kernels = createKernels(forceJs);
    this.scoresAt = align(this.stride * 4);
    this.slotsAt = this.scoresAt + SCORE_BLOCK * 4;
    this.vectorsAt = align(this.slotsAt + MAX_GATHER * 4);
    this.ensureCapacity(0);
  }

  get simd(): boolean {
    return this.kernels.simd;
  }

  get capacity(): number {
    return this.capacitySlots;
  }

  /** Bytes of one stored vector. */
  get slotBytes(): number {
    return this.stride * this.bytesPerElement;
  }

  /** Grows the memory (doubling) so that `slots` vectors fit. */
  ensureCapacity(slots: number): void {
    const needed = this.vectorsAt + slots * this.slotBytes;
    const have = this.kernels.memory.buffer.byteLength;
    if (needed > have) {
      const target = Math.max(needed, have * 2);
      this.kernels.memory.grow(Math.ceil((target - have) / PAGE));
    }
    if (!this.f32 || this.f32.buffer !== this.kernels.memory.buffer) {
      const buffer = this.kernels.memory.buffer;
      this.f32 = new Float32Array(buffer);
      this.i32 = new Int32Array(buffer);
      this.i8 = new Int8Array(buffer);
    }
    this.capacitySlots = Math.floor((this.kernels.memory.buffer.byteLength - this.vectorsAt) / this.slotBytes);
  }

  /** Moves the vector of slot `from` into slot `to` (compaction). */
  move(from: number, to: number): void {
    const bytes = new Uint8Array(this.kernels.memory.buffer);
    const at = this.vectorsAt + from * this.slotBytes;
    bytes.copyWithin(this.vectorsAt + to * this.slotBytes, at, at + this.slotBytes);
  }

  /** Zeroes a slot, so a removed vector's bytes do not linger in memory (right to be forgotten). */
  clear(slot: number): void {
    if (slot >= this.capacitySlots) return;
    const at = this.vectorsAt + slot * this.slotBytes;
    new Uint8Array(this.kernels.memory.buffer).fill(0, at, at + this.slotBytes);
  }

  /** A copy of the raw bytes of slots [0, count), for a snapshot. */
  exportSlots(count: number): Uint8Array {
    return new Uint8Array(this.kernels.memory.buffer, this.vectorsAt, count * this.slotBytes).slice();
  }

  /** Loads raw bytes written by `exportSlots` into slots [0, count). */
  importSlots(bytes: Uint8Array, count: number): void {
    this.ensureCapacity(count);
    new Uint8Array(this.kernels.memory.buffer, this.vectorsAt, count * this.slotBytes).set(
      bytes.subarray(0, count * this.slotBytes),
    );
  }
}

/** Float32 vectors, normalised by the caller; scores are dot products. */
export class Float32Space extends KernelSpace {
  constructor(dims: number, options: { forceJs?: boolean } = {}) {
    super(dims, 4, options.forceJs ?? false);
  }

  write(slot: number, vector: Float32Array): void {
    this.ensureCapacity(slot + 1);
    const at = (this.vectorsAt >> 2) + slot * this.stride;
    this.f32.set(vector, at);
    this.f32.fill(0, at + vector.length, at + this.stride);
  }

  /** Writes `count` stored vectors packed end to end (dims apart) into slots from `first`: one copy when unpadded. */
  writeMany(first: number, packed: Float32Array, count: number): void {
    this.ensureCapacity(first + count);
    const at = (this.vectorsAt >> 2) + first * this.stride;
    if (this.stride === this.dims) this.f32.set(packed.subarray(0, count * this.dims), at);
    else for (let i = 0; i < count; i++) this.write(first + i, packed.subarray(i * this.dims, (i + 1) * this.dims));
  }

  read(slot: number): Float32Array {
    const at = (this.vectorsAt >> 2) + slot * this.stride;
    return this.f32.slice(at, at + this.dims);
  }

  /** Sets the query every following score is taken against. */
  setQuery(query: Float32Array): void {
    this.f32.set(query, 0);
    this.f32.fill(0, query.length, this.stride);
  }

  /** Makes stored slot `slot` the query (graph construction scores neighbours of a stored vector). */
  setQueryFromSlot(slot: number): void {
    const at = (this.vectorsAt >> 2) + slot * this.stride;
    this.f32.copyWithin(0, at, at + this.stride);
  }

  scoreSlot(slot: number): number {
    return this.kernels.dot(this.queryAt, this.vectorsAt + slot * this.stride * 4, this.stride);
  }

  dotSlots(a: number, b: number): number {
    return this.kernels.dot(this.vectorsAt + a * this.stride * 4, this.vectorsAt + b * this.stride * 4, this.stride);
  }

  /** Scores slots [start, start + count) (count <= SCORE_BLOCK); returns where in `scores` they are. */
  scoreBlock(start: number, count: number): Float32Array {
    this.kernels.dot_range(this.queryAt, this.vectorsAt + start * this.stride * 4, count, this.stride, this.scoresAt);
    return this.scores(count);
  }

  /** Scores the listed slots (count <= MAX_GATHER). */
  scoreGather(slots: Int32Array, from: number, count: number): Float32Array {
    this.i32.set(slots.subarray(from, from + count), this.slotsAt >> 2);
    this.kernels.dot_gather(this.queryAt, this.vectorsAt, this.slotsAt, count, this.stride, this.scoresAt);
    return this.scores(count);
  }

  private scores(count: number): Float32Array {
    // A view, not a copy: valid until the next kernel call or growth.
    return this.f32.subarray(this.scoresAt >> 2, (this.scoresAt >> 2) + count);
  }
}

/**
 * Int8 vectors with one scale per vector (symmetric: x ~ code * scale, scale = max|x| / 127).
 * A dot product of codes times both scales approximates the float dot product.
 */
export class Int8Space extends KernelSpace {
  private scales = new Float32Array(0);
  private queryScale = 1;

  constructor(dims: number, options: { forceJs?: boolean } = {}) {
    super(dims, 1, options.forceJs ?? false);
  }

  write(slot: number, vector: Float32Array): void {
    this.ensureCapacity(slot + 1);
    if (slot >= this.scales.length) {
      const grown = new Float32Array(Math.max(slot + 1, this.scales.length * 2, 64));
      grown.set(this.scales);
      this.scales = grown;
    }
    this.scales[slot] = quantize(vector, this.i8, this.vectorsAt + slot * this.stride, this.stride);
  }

  override move(from: number, to: number): void {
    super.move(from, to);
    this.scales[to] = this.scales[from]!;
  }

  setQuery(query: Float32Array): void {
    this.queryScale = quantize(query, this.i8, this.queryAt, this.stride);
  }

  /** Approximate scores of slots [start, start + count) into `out` (count <= SCORE_BLOCK). */
  scoreBlock(start: number, count: number, out: Float32Array): void {
    this.kernels.dot_i8_range(this.queryAt, this.vectorsAt + start * this.stride, count, this.stride, this.scoresAt);
    const ints = this.i32;
    const base = this.scoresAt >> 2;
    const scales = this.scales;
    const q = this.queryScale;
    for (let i = 0; i < count; i++) out[i] = ints[base + i]! * scales[start + i]! * q;
  }

  exportScales(count: number): Float32Array {
    return this.scales.slice(0, count);
  }

  importScales(scales: Float32Array): void {
    this.scales = scales.slice();
  }
}

function quantize(vector: Float32Array, into: Int8Array, at: number, stride: number): number {
  let max = 0;
  for (let i = 0; i < vector.length; i++) max = Math.max(max, Math.abs(vector[i]!));
  const scale = max / 127 || 1;
  for (let i = 0; i < vector.length; i++) into[at + i] = Math.round(vector[i]! / scale);
  into.fill(0, at + vector.length, at + stride);
  return scale;
}

function align(bytes: number): number {
  return Math.ceil(bytes / 64) * 64;
}
