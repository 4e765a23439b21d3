// What ranking and filtering need of each record, kept in memory beside the indexes so a recall reads
// only the records it returns.

import { TIERS, type MemoryRecord, type SourceKind, type Tier } from '../record.js';
import type { SafetyFlag } from '../safety/flags.js';
import { trustOf, type Trust } from '../safety/trust.js';
import { flagsOfRecord } from '../safety/withheld.js';

export interface Facet {
  tier: Tier;
  sessionId: string | undefined;
  speaker: string | undefined;
  eventAt: number;
  createdAt: number;
  importance: number;
  strength: number;
  lastRecalledAt: number | undefined;
  accessCount: number;
  tags: readonly string[];
  source: SourceKind;
  validFrom: number | undefined;
  invalidAt: number | undefined;
  consolidatedAt: number | undefined;
  /** For an episode summary: the session it summarises. */
  summaryOf: string | undefined;
  /** The text says when something happened ("yesterday", "last May"): what a "when" question looks for. */
  saysWhen: boolean;
  /** The text asks something ("what did you paint?"): the answer is in the turns after it. */
  asks: boolean;
  /** The model its stored vector was made with, if any. */
  embeddedWith: string | undefined;
  /** How many records it was derived from (an episode summary: its turns). */
  sourceCount: number;
  trust: Trust;
  flags: readonly SafetyFlag[];
}

// Words that place an event in time. A regular expression, not the date parser: it runs for every record
// at every open, so it must cost next to nothing.
const SAYS_WHEN =
  /\b(?:yesterday|today|tonight|tomorrow|ago|last (?:night|week|weekend|month|year|summer|winter|spring|fall|autumn)|this (?:morning|week|weekend|month|year)|next (?:week|month|year)|(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d|\d{1,2}(?:st|nd|rd|th)?(?: of)? (?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(?:19|20)\d\d|monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)\b/i;

// A question mark anywhere: ASCII, full-width, or the Arabic one.
const ASKS = /[?\uFF1F\u061F]/;

export function facetOf(record: MemoryRecord): Facet {
  const saysWhen = SAYS_WHEN.test(record.text);
  const trust = trustOf(record);
  return {
    tier: record.tier,
    sessionId: record.sessionId,
    speaker: record.speaker,
    eventAt: record.eventAt,
    createdAt: record.createdAt,
    importance: record.importance,
    strength: record.strength,
    lastRecalledAt: record.lastRecalledAt,
    accessCount: record.accessCount,
    tags: record.tags,
    source: record.source.kind,
    validFrom: record.validFrom,
    invalidAt: record.invalidAt,
    consolidatedAt: record.consolidatedAt,
    summaryOf: typeof record.meta['summaryOf'] === 'string' ? record.meta['summaryOf'] : undefined,
    saysWhen,
    asks: ASKS.test(record.text),
    embeddedWith: record.embedding?.model,
    sourceCount: record.sourceIds.length,
    trust,
    // Scanning every old record at each open would cost time; only old low-trust ones are (withheld.ts).
    flags: flagsOfRecord(record),
  };
}

/** True when a fact was valid at `at`: records without validity bounds are always valid. */
export function validAt(facet: Facet, at: number): boolean {
  return (facet.validFrom === undefined || facet.validFrom <= at) && (facet.invalidAt === undefined || at < facet.invalidAt);
}

export class FacetTable {
  private readonly facets = new Map<string, Facet>();
  private readonly speakerCounts = new Map<string, number>();

  get size(): number {
    return this.facets.size;
  }

  get(id: string): Facet | undefined {
    return this.facets.get(id);
  }

  set(record: MemoryRecord): void {
    this.delete(record.id);
    const facet = facetOf(record);
    this.facets.set(record.id, facet);
    if (facet.speaker !== undefined) this.speakerCounts.set(facet.speaker, (this.speakerCounts.get(facet.speaker) ?? 0) + 1);
  }

  delete(id: string): boolean {
    const facet = this.facets.get(id);
    if (!facet) return false;
    this.facets.delete(id);
    if (facet.speaker !== undefined) {
      const left = (this.speakerCounts.get(facet.speaker) ?? 1) - 1;
      if (left === 0) this.speakerCounts.delete(facet.speaker);
      else this.speakerCounts.set(facet.speaker, left);
    }
    return true;
  }

  /** Every speaker who said anything in this memory. */
  speakers(): IterableIterator<string> {
    return this.speakerCounts.keys();
  }

  entries(): IterableIterator<[string, Facet]> {
    return this.facets.entries();
  }

  countByTier(): Record<Tier, number> {
    const byTier = Object.fromEntries(TIERS.map((tier) => [tier, 0])) as Record<Tier, number>;
    for (const facet of this.facets.values()) byTier[facet.tier]++;
    return byTier;
  }

  clear(): void {
    this.facets.clear();
    this.speakerCounts.clear();
  }
}
