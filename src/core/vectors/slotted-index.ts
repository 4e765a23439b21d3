// What persistence needs of an index: vectors in numbered slots, saved and restored slot for slot.

import type { VectorIndex } from '../ports.js';

export interface SlottedIndex extends VectorIndex {
  /** One past the highest slot ever used. */
  readonly slotCount: number;
  /** The live id in `slot`, or undefined for an empty slot or a tombstone. */
  idAt(slot: number): string | undefined;
  /** The stored, normalised vector of `slot`. */
  vectorAt(slot: number): Float32Array;
  /** The stored, normalised vector of a live id. */
  vectorOf(id: string): Float32Array | undefined;
  /** The slots whose id or vector changed since the last call. */
  takeDirtySlots(): Set<number>;
}
