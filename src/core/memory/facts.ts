// Semantic memory: facts with provenance and bi-temporal validity. A contradicted or updated fact is
// invalidated, never deleted, so `asOf` still sees it and `history` shows every version; a fact nearly
// identical to a valid one reinforces it instead of duplicating it.

import type { FactInput, FactListOptions, FactResult } from '../api.js';
import type { MemoryEngine } from '../engine.js';
import { MnemoError } from '../errors.js';
import type { MemoryRecord } from '../record.js';
import { termCounts } from '../bm25-index.js';
import { termCosine } from '../retrieval/diversify.js';
import { validAt } from '../retrieval/facet-table.js';
import { INITIAL_STRENGTH_MS } from '../record.js';
import { deriveTrust, minTrust, trustOf, type Trust } from '../safety/trust.js';
import {
  LIMITS,
  checkInstant,
  checkInteger,
  checkLabel,
  checkLabels,
  checkMeta,
  checkOptions,
  checkSource,
  checkText,
  checkTrust,
  checkUnitInterval,
  invalid,
} from '../validate.js';
import { newRecord } from './new-record.js';

const FACT_KEYS = ['text', 'sourceIds', 'validFrom', 'importance', 'tags', 'meta', 'source', 'key', 'trust'];
/** Term cosine above which two facts say the same thing ("Ada is vegetarian" / "Ada is a vegetarian"). */
export const MERGE_SIMILARITY = 0.9;

interface CheckedFact {
  record: MemoryRecord;
  key: string | undefined;
}

export class FactMemory {
  constructor(private readonly engine: MemoryEngine) {}

  /**
   * Adds a fact. A valid fact with the same `key` and other text is superseded by it (a contradiction);
   * a valid fact with nearly the same text absorbs it (a merge). `derived.trust`: consolidation's own
   * verdict (its sources' trust), which replaces the ceiling of the extractor's source kind.
   */
  async add(input: FactInput, derived: { trust?: Trust } = {}): Promise<FactResult> {
    const { record, key } = this.check(input, 'fact', derived.trust);
    const vectors = await this.engine.vectorsFor([record]);
    return this.engine.exclusive(async () => {
      const now = this.engine.now();
      const keyed = key === undefined ? [] : await this.validWithKey(key, now);
      const twin = (
        keyed.length > 0
          ? keyed
          : await this.validFacts(
              // Only open facts compete for the few candidate slots: closed versions of the same text would
              // crowd the valid one out, and the fact would be added twice.
              this.engine.similarTexts(record.text, 5, (facet) => isOpenFact(facet, now)).map((c) => c.id),
              now,
            )
      ).find((other) => termCosine(termCounts(other.text), termCounts(record.text)) >= MERGE_SIMILARITY);
      if (twin) {
        // Only new evidence strengthens a fact: the same sources again (a retried consolidation batch) is no
        // news, so retrying changes nothing. A fact without provenance counts each restatement.
        const news = record.sourceIds.length === 0 || record.sourceIds.some((id) => !twin.sourceIds.includes(id));
        const merged: MemoryRecord = {
          ...twin,
          // A key given with the restatement is kept, so a later fact with that key supersedes this one.
          ...(key !== undefined && twin.meta['key'] === undefined && { meta: { ...twin.meta, key } }),
          sourceIds: [...new Set([...twin.sourceIds, ...record.sourceIds])].slice(0, LIMITS.maxBatchSize),
          tags: [...new Set([...twin.tags, ...record.tags])].slice(0, LIMITS.maxTags),
          importance: Math.max(twin.importance, record.importance),
          // Restated by a less trusted source, a fact is only as trusted as its least trusted evidence.
          trust: minTrust(trustOf(twin), trustOf(record)),
          strength: twin.strength + (news ? INITIAL_STRENGTH_MS : 0),
        };
        if (!news && JSON.stringify(merged) === JSON.stringify(twin)) return { fact: twin, outcome: 'merged' };
        merged.updatedAt = now;
        await this.engine.writeNow([merged]);
        return { fact: merged, outcome: 'merged' };
      }
      if (keyed.length === 0) {
        await this.engine.writeNow([record], vectors);
        return { fact: record, outcome: 'added' };
      }
      return { fact: await this.supersede(keyed, record, vectors), outcome: 'superseded' };
    });
  }

  /** A new version of fact `id`: the old one is invalidated from the new one's `validFrom`. */
  async update(id: string, input: FactInput): Promise<FactResult> {
    checkLabel(id, 'id');
    const { record } = this.check(input, 'fact');
    const vectors = await this.engine.vectorsFor([record]);
    return this.engine.exclusive(async () => {
      const old = await this.current(id);
      // A new version is no more trusted than the one it replaces came to be (its text may build on it).
      record.trust = minTrust(record.trust, trustOf(old));
      return { fact: await this.supersede([old], record, vectors), outcome: 'superseded' };
    });
  }

  async invalidate(id: string, options: { at?: unknown } = {}): Promise<MemoryRecord> {
    checkLabel(id, 'id');
    const opts = checkOptions(options, ['at'], 'options');
    return this.engine.exclusive(async () => {
      const fact = await this.current(id);
      const at = opts['at'] === undefined ? this.engine.now() : checkInstant(opts['at'], 'options.at');
      if (fact.validFrom !== undefined && at < fact.validFrom) throw invalid('options.at', 'is before the fact became valid');
      const invalidated = { ...fact, invalidAt: at, updatedAt: this.engine.now() };
      await this.engine.writeNow([invalidated]);
      return invalidated;
    });
  }

  async list(options: FactListOptions = {}): Promise<MemoryRecord[]> {
    const opts = checkOptions(options, ['asOf', 'includeInvalid', 'tags', 'limit'], 'options');
    const asOf = opts['asOf'] === undefined ? this.engine.now() : checkInstant(opts['asOf'], 'options.asOf');
    const all = opts['includeInvalid'] === true;
    const tags = opts['tags'] === undefined ? [] : checkLabels(opts['tags'], 'options.tags', LIMITS.maxTags);
    const limit = opts['limit'] === undefined ? 100 : checkInteger(opts['limit'], 'options.limit', 1, LIMITS.maxListLimit);
    this.engine.checkOpen();
    await this.engine.settle();
    const facts = await this.engine.recordsWhere(
      (facet) => facet.tier === 'semantic' && (all || validAt(facet, asOf)) && tags.every((t) => facet.tags.includes(t)),
    );
    return facts.sort(newestFirst).slice(0, limit);
  }

  /** Every version of the fact `id` belongs to, oldest first. */
  async history(id: string): Promise<MemoryRecord[]> {
    checkLabel(id, 'id');
    await this.engine.settle();
    const fact = await this.engine.get(id);
    if (!fact) throw notFound(id);
    if (fact.tier !== 'semantic') throw notAFact(id);
    const root = chainOf(fact);
    const versions = await this.engine.recordsWhere((facet) => facet.tier === 'semantic');
    return versions
      .filter((v) => chainOf(v) === root)
      .sort((a, b) => (a.validFrom ?? a.createdAt) - (b.validFrom ?? b.createdAt) || a.createdAt - b.createdAt);
  }

  private async supersede(
    olds: MemoryRecord[],
    record: MemoryRecord,
    vectors: Awaited<ReturnType<MemoryEngine['vectorsFor']>>,
  ): Promise<MemoryRecord> {
    const newest = olds.reduce((a, b) => (a.createdAt >= b.createdAt ? a : b));
    const from = record.validFrom ?? record.createdAt;
    const next: MemoryRecord = {
      ...record,
      meta: {
        ...record.meta,
        factId: chainOf(newest),
        previousId: newest.id,
        ...(newest.meta['key'] !== undefined && { key: newest.meta['key'] }),
      },
    };
    const closed = olds.map((old) => ({
      ...old,
      invalidAt: Math.max(from, old.validFrom ?? from),
      updatedAt: this.engine.now(),
      meta: { ...old.meta, supersededBy: next.id },
    }));
    await this.engine.writeNow([...closed, next], vectors);
    return next;
  }

  /** The fact `id`, which must exist, be a fact, and still be valid. */
  private async current(id: string): Promise<MemoryRecord> {
    const fact = await this.engine.get(id);
    if (!fact) throw notFound(id);
    if (fact.tier !== 'semantic') throw notAFact(id);
    if (fact.invalidAt !== undefined) {
      const newer = fact.meta['supersededBy'];
      throw new MnemoError(
        'FACT_INVALID',
        `The fact ${id} was invalidated; ${typeof newer === 'string' ? `its newer version is ${newer}` : 'no newer version exists'}.`,
        {
          details: { id },
        },
      );
    }
    return fact;
  }

  private async validWithKey(key: string, now: number): Promise<MemoryRecord[]> {
    const facts = await this.engine.recordsWhere((facet) => facet.tier === 'semantic' && validAt(facet, now));
    return facts.filter((f) => f.meta['key'] === key);
  }

  private async validFacts(ids: string[], now: number): Promise<MemoryRecord[]> {
    const records = await this.engine.getMany(ids);
    return records.filter(
      (r): r is MemoryRecord => !!r && r.tier === 'semantic' && r.invalidAt === undefined && (r.validFrom ?? 0) <= now,
    );
  }

  private check(input: unknown, field: string, derivedTrust?: Trust): CheckedFact {
    const opts = checkOptions(input, FACT_KEYS, field);
    const now = this.engine.now();
    const validFrom = opts['validFrom'] === undefined ? now : checkInstant(opts['validFrom'], `${field}.validFrom`);
    const key = opts['key'] === undefined ? undefined : checkLabel(opts['key'], `${field}.key`);
    const id = this.engine.newId();
    const sourceIds =
      opts['sourceIds'] === undefined ? [] : checkLabels(opts['sourceIds'], `${field}.sourceIds`, LIMITS.maxBatchSize);
    const source = opts['source'] === undefined ? { kind: 'app' as const } : checkSource(opts['source'], `${field}.source`);
    const requested = opts['trust'] === undefined ? undefined : checkTrust(opts['trust'], `${field}.trust`);
    const fromSources = sourceIds.map((sourceId) => this.engine.facets.get(sourceId)?.trust);
    const trust =
      derivedTrust === undefined
        ? deriveTrust(source.kind, requested, fromSources)
        : minTrust(derivedTrust, requested, ...fromSources);
    const record = newRecord(
      { id, namespace: this.engine.namespace, now },
      {
        tier: 'semantic',
        text: checkText(opts['text'], `${field}.text`),
        eventAt: validFrom,
        validFrom,
        importance: opts['importance'] === undefined ? 0.5 : checkUnitInterval(opts['importance'], `${field}.importance`),
        tags: opts['tags'] === undefined ? [] : checkLabels(opts['tags'], `${field}.tags`, LIMITS.maxTags),
        sourceIds,
        source,
        trust,
        meta: {
          ...(opts['meta'] === undefined ? {} : checkMeta(opts['meta'], `${field}.meta`)),
          factId: id,
          ...(key !== undefined && { key }),
        },
      },
    );
    return { record, key };
  }
}

/** A fact valid now and not closed, as `validFacts` requires of a merge target. */
function isOpenFact(facet: { tier: string; validFrom: number | undefined; invalidAt: number | undefined }, now: number): boolean {
  return facet.tier === 'semantic' && facet.invalidAt === undefined && (facet.validFrom ?? 0) <= now;
}

/** The id of the first version of a fact, shared by all its versions. */
function chainOf(fact: MemoryRecord): string {
  return typeof fact.meta['factId'] === 'string' ? fact.meta['factId'] : fact.id;
}

function newestFirst(a: MemoryRecord, b: MemoryRecord): number {
  return (b.validFrom ?? b.createdAt) - (a.validFrom ?? a.createdAt) || (a.id < b.id ? 1 : -1);
}

function notFound(id: string): MnemoError {
  return new MnemoError('NOT_FOUND', `No record ${id}.`, { details: { id } });
}

function notAFact(id: string): MnemoError {
  return new MnemoError('NOT_A_FACT', `The record ${id} is not a fact (semantic tier).`, { details: { id } });
}
