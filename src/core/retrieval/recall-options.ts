// `recall()` options, checked and resolved into what ranking needs.

import type { RecallOptions } from '../api.js';
import { SOURCE_KINDS, type SourceKind, type Tier } from '../record.js';
import {
  LIMITS,
  checkBoolean,
  checkInstant,
  checkInteger,
  checkLabel,
  checkLabels,
  checkOptions,
  checkTier,
  checkUnitInterval,
  invalid,
} from '../validate.js';
import { validAt, type Facet } from './facet-table.js';

const RECALL_KEYS = ['k', 'tiers', 'filter', 'timeRange', 'asOf', 'referenceTime', 'diversity', 'expand', 'reinforce'];
const FILTER_KEYS = ['sessionId', 'speaker', 'tags', 'source'];
/** Working blocks are placed in every context whole; searching them is asked for explicitly. */
const DEFAULT_TIERS: readonly Tier[] = ['shortTerm', 'episodic', 'semantic', 'procedural', 'archival'];
export const MAX_EXPAND = 10;

export interface ResolvedRecall {
  k: number;
  tiers: ReadonlySet<Tier>;
  asOf: number;
  referenceTime: number;
  diversity: number;
  expand: number;
  reinforce: boolean;
  /** Everything but the tier and validity checks, which every recall applies. */
  accepts(facet: Facet): boolean;
}

export function resolveRecallOptions(options: RecallOptions | undefined, now: number): ResolvedRecall {
  const opts = checkOptions(options, RECALL_KEYS, 'options');
  const tiers = opts['tiers'] === undefined ? DEFAULT_TIERS : checkTiers(opts['tiers']);
  const filter = checkOptions(opts['filter'], FILTER_KEYS, 'options.filter');
  const sessionId = filter['sessionId'] === undefined ? undefined : checkLabel(filter['sessionId'], 'options.filter.sessionId');
  const speaker = filter['speaker'] === undefined ? undefined : checkLabel(filter['speaker'], 'options.filter.speaker');
  const tags = filter['tags'] === undefined ? [] : checkLabels(filter['tags'], 'options.filter.tags', LIMITS.maxTags);
  const source = filter['source'] === undefined ? undefined : checkSourceKind(filter['source']);
  const range = checkOptions(opts['timeRange'], ['from', 'to'], 'options.timeRange');
  const from = range['from'] === undefined ? -Infinity : checkInstant(range['from'], 'options.timeRange.from');
  const to = range['to'] === undefined ? Infinity : checkInstant(range['to'], 'options.timeRange.to');
  if (from >= to) throw invalid('options.timeRange', '"from" must be before "to"');
  const asOf = opts['asOf'] === undefined ? now : checkInstant(opts['asOf'], 'options.asOf');
  const tierSet = new Set(tiers);
  return {
    k: opts['k'] === undefined ? 10 : checkInteger(opts['k'], 'options.k', 1, LIMITS.maxK),
    tiers: tierSet,
    asOf,
    referenceTime: opts['referenceTime'] === undefined ? now : checkInstant(opts['referenceTime'], 'options.referenceTime'),
    diversity: opts['diversity'] === undefined ? 0 : checkUnitInterval(opts['diversity'], 'options.diversity'),
    expand: opts['expand'] === undefined ? 0 : checkInteger(opts['expand'], 'options.expand', 0, MAX_EXPAND),
    reinforce: opts['reinforce'] === undefined ? true : checkBoolean(opts['reinforce'], 'options.reinforce'),
    accepts: (facet) =>
      tierSet.has(facet.tier) &&
      validAt(facet, asOf) &&
      facet.eventAt >= from &&
      facet.eventAt < to &&
      (sessionId === undefined || facet.sessionId === sessionId) &&
      (speaker === undefined || facet.speaker === speaker) &&
      (source === undefined || facet.source === source) &&
      tags.every((tag) => facet.tags.includes(tag)),
  };
}

function checkTiers(value: unknown): Tier[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid('options.tiers', 'must be a non-empty array of tiers');
  return value.map((tier, i) => checkTier(tier, `options.tiers[${i}]`));
}

function checkSourceKind(value: unknown): SourceKind {
  if (!SOURCE_KINDS.includes(value as SourceKind))
    throw invalid('options.filter.source', `must be one of ${SOURCE_KINDS.join(', ')}`);
  return value as SourceKind;
}
