// Trust levels of records (issue #6 item 9): set by the runtime from where a text came from, never raised by a
// caller. A record is as trustworthy as its writer's kind allows and no more than the records it came from.

import type { MemoryRecord, SourceKind } from '../record.js';

export const TRUST_LEVELS = ['low', 'high'] as const;
export type Trust = (typeof TRUST_LEVELS)[number];

/**
 * The most a writer of each kind can vouch for. The user and the app's own code are trusted; a language
 * model's writes (tool calls) and anything fetched (web pages, mail, tool output) are not: that is where
 * MINJA-style injections come in. `extractor` is consolidation, whose records take their sources' trust.
 */
export const TRUST_CEILING: Readonly<Record<SourceKind, Trust>> = Object.freeze({
  user: 'high',
  app: 'high',
  import: 'high',
  extractor: 'high',
  llm: 'low',
  web: 'low',
  tool: 'low',
});

export function minTrust(...levels: (Trust | undefined)[]): Trust {
  return levels.includes('low') ? 'low' : 'high';
}

/** A record's trust; a record stored before trust existed reads as its source kind's ceiling. */
export function trustOf(record: Pick<MemoryRecord, 'trust' | 'source'>): Trust {
  return minTrust(record.trust ?? TRUST_CEILING[record.source.kind], TRUST_CEILING[record.source.kind]);
}

/**
 * The trust the runtime stores: what the caller asked for (it may only lower it), capped by the source
 * kind's ceiling and by every source record it knows of. Unknown source ids lower nothing: they are gone or
 * were never stored here, and a caller cannot raise trust by naming them.
 */
export function deriveTrust(kind: SourceKind, requested: Trust | undefined, sources: Iterable<Trust | undefined> = []): Trust {
  return minTrust(requested, TRUST_CEILING[kind], ...sources);
}

/** Lowers a new record's trust to the lowest of the records it names as sources (`lookup` knows the stored ones). */
export function inheritTrust(record: MemoryRecord, lookup: (id: string) => Trust | undefined): void {
  if (record.sourceIds.length > 0)
    record.trust = minTrust(record.trust ?? TRUST_CEILING[record.source.kind], ...record.sourceIds.map(lookup));
}
