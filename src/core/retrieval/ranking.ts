// The adjustments applied to relevance at recall, each visible in a hit's scores: the query's own signals
// (a date window it names, a speaker it names) and the record's lifecycle (importance, retention).

import { INITIAL_STRENGTH_MS, type MemoryRecord } from '../record.js';
import { tokenize } from '../tokenizer.js';
import type { Facet } from './facet-table.js';
import { parseTimeWindows, type TimeWindow } from './time-expressions.js';

export const RANKING = {
  /** Turns by the one speaker a query names (RETRIEVAL-NOTES: x2, +0.03 R@10 on LoCoMo). */
  speakerBoost: 2,
  /** Records whose event time falls in a date window the query names (LoCoMo dev: 1.5-3 within 0.002). */
  timeBoost: 2,
  /** Records that say when something happened, for a query that asks when (LoCoMo dev: +0.004 R@10, +0.02 R@1). */
  whenBoost: 1.5,
  /**
   * Records that ask a question: a question tells little, and the answer that follows already carries its
   * words through the neighbour context, so the question should not outrank it (LoCoMo dev R@10 +0.011 with
   * the other changes; 0.7-0.85 all within 0.001 of 0.8, 0.6 and 0.9 within 0.006).
   */
  askingFactor: 0.8,
  /** Importance 1 ranks x(1 + w/2), importance 0 x(1 - w/2). */
  importanceWeight: 0.4,
  /** A record with retention 0 ranks x(1 - w): forgetting lowers, it never hides. */
  retentionWeight: 0.2,
} as const;

const ASKS_WHEN = /\b(when|what (?:date|day|time|year|month)|how long ago)\b/i;

export interface QuerySignals {
  windows: TimeWindow[];
  /** The query asks when: records that say when rank higher. */
  asksWhen: boolean;
  /** The one speaker of this memory the query names, if exactly one. */
  speaker: string | undefined;
}

export function analyseQuery(query: string, referenceTime: number, speakers: Iterable<string>): QuerySignals {
  const terms = new Set(tokenize(query));
  const named: string[] = [];
  for (const speaker of speakers) {
    const first = tokenize(speaker)[0];
    if (first !== undefined && terms.has(first)) named.push(speaker);
  }
  return {
    windows: parseTimeWindows(query, referenceTime),
    asksWhen: ASKS_WHEN.test(query),
    speaker: named.length === 1 ? named[0] : undefined,
  };
}

const DAY = 86_400_000;

/**
 * People tell of an event at or after it ("we had dinner yesterday"), so a record made a little after a
 * window still speaks of it: as long as the window, between 2 and 7 days (LoCoMo dev: +0.004 R@10).
 */
function reportingLag(window: TimeWindow): number {
  return Math.min(7 * DAY, Math.max(2 * DAY, window.to - window.from));
}

export interface Boosts {
  /** Multiplier for a record inside a date window of the query; 1 otherwise. */
  time: number;
  /** Multiplier for a record by the speaker the query names; 1 otherwise. */
  speaker: number;
}

export function boostsOf(signals: QuerySignals, facet: Facet): Boosts {
  const inWindow = signals.windows.some((w) => facet.eventAt >= w.from && facet.eventAt < w.to + reportingLag(w));
  return {
    time: (inWindow ? RANKING.timeBoost : 1) * (signals.asksWhen && facet.saysWhen ? RANKING.whenBoost : 1),
    speaker: signals.speaker !== undefined && facet.speaker === signals.speaker ? RANKING.speakerBoost : 1,
  };
}

/** What a record is, whatever the query: a question ranks below the statements around it. */
export function formFactor(facet: Facet): number {
  return facet.asks ? RANKING.askingFactor : 1;
}

/** Retention R = exp(-dt / S) of the forgetting curve, dt counted from the last recall (MemoryBank). */
export function retentionOf(facet: Facet, now: number): number {
  const since = facet.lastRecalledAt ?? facet.createdAt;
  return Math.exp(-Math.max(0, now - since) / facet.strength);
}

export function lifecycleFactor(facet: Facet, retention: number): number {
  return (1 + RANKING.importanceWeight * (facet.importance - 0.5)) * (1 - RANKING.retentionWeight * (1 - retention));
}

/** A recalled record: its clock restarts and its strength grows by a day, so it fades more slowly each time. */
export function reinforce(record: MemoryRecord, now: number): MemoryRecord {
  return {
    ...record,
    lastRecalledAt: now,
    accessCount: record.accessCount + 1,
    strength: record.strength + INITIAL_STRENGTH_MS,
  };
}
