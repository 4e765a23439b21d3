// Records the memory writes itself (blocks, facts, chunks, summaries), with the model's defaults filled in.

import { DEFAULT_IMPORTANCE, INITIAL_STRENGTH_MS, type MemoryRecord, type Tier } from '../record.js';
import { flagsOf } from '../safety/detector.js';
import { TRUST_CEILING } from '../safety/trust.js';

export type RecordFields = Partial<Omit<MemoryRecord, 'id' | 'namespace' | 'createdAt' | 'updatedAt'>> & {
  tier: Tier;
  text: string;
};

/**
 * `trust` defaults to the source kind's ceiling: a caller deriving a record from others passes the trust it
 * derived (safety/trust.ts). Flags are found in the text, except for working blocks, whose text changes in place.
 */
export function newRecord(context: { id: string; namespace: string; now: number }, fields: RecordFields): MemoryRecord {
  const { now } = context;
  const record: MemoryRecord = {
    id: context.id,
    namespace: context.namespace,
    createdAt: now,
    eventAt: now,
    updatedAt: now,
    importance: DEFAULT_IMPORTANCE,
    strength: INITIAL_STRENGTH_MS,
    accessCount: 0,
    tags: [],
    meta: {},
    source: { kind: 'app' },
    sourceIds: [],
    ...fields,
  };
  record.trust ??= TRUST_CEILING[record.source.kind];
  const flags = record.tier === 'working' ? undefined : flagsOf(record.text);
  if (flags) record.flags = flags;
  return record;
}
