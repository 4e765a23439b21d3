// Records the memory writes itself (blocks, facts, chunks, summaries), with the model's defaults filled in.

import { DEFAULT_IMPORTANCE, INITIAL_STRENGTH_MS, type MemoryRecord, type Tier } from '../record.js';

export type RecordFields = Partial<Omit<MemoryRecord, 'id' | 'namespace' | 'createdAt' | 'updatedAt'>> & {
  tier: Tier;
  text: string;
};

export function newRecord(context: { id: string; namespace: string; now: number }, fields: RecordFields): MemoryRecord {
  const { now } = context;
  return {
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
}
