// Which records are withheld from what reaches a model unasked (context(), the memory_search tool): text that
// nobody vouches for and that reads like an instruction or hides characters. recall() still returns them.

import type { MemoryRecord } from '../record.js';
import { flagsOf } from './detector.js';
import type { SafetyFlag } from './flags.js';
import { trustOf, type Trust } from './trust.js';

/** The flags a record stands under; a low-trust record stored before the detector existed is scanned now. */
export function flagsOfRecord(record: Pick<MemoryRecord, 'trust' | 'source' | 'flags' | 'text'>): readonly SafetyFlag[] {
  if (record.flags) return record.flags;
  return record.trust === undefined && trustOf(record) === 'low' ? (flagsOf(record.text) ?? []) : [];
}

export function isWithheld(record: Pick<MemoryRecord, 'trust' | 'source' | 'flags' | 'text'>): boolean {
  return withheldBy({ trust: trustOf(record), flags: flagsOfRecord(record) });
}

/** High-trust text (the user's own words) is flagged but never withheld: the user may write what they like. */
export function withheldBy(facet: { trust: Trust; flags: readonly SafetyFlag[] }): boolean {
  return facet.trust === 'low' && facet.flags.length > 0;
}
