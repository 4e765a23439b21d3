// consolidate(): the sleep-time pass. Takes only turns no pass has taken yet, in batches, each batch's facts
// and its "consolidated" marks written before the next starts, so an interrupted pass resumes where it
// stopped and a repeated one adds nothing twice (facts merge). Then it summarises the sessions it touched,
// and prunes only by an explicit policy.

import { throwIfAborted, type AbortSignalLike } from '../abort.js';
import type { ConsolidateOptions, ConsolidationReport } from '../api.js';
import { termCounts } from '../bm25-index.js';
import type { MemoryEngine } from '../engine.js';
import { MnemoError } from '../errors.js';
import type { MemoryRecord, Tier } from '../record.js';
import type { Facet } from '../retrieval/facet-table.js';
import { minTrust, trustOf } from '../safety/trust.js';
import { retentionOf } from '../retrieval/ranking.js';
import { LIMITS, checkInteger, checkLabel, checkOptions, checkText, checkTier, checkUnitInterval, invalid } from '../validate.js';
import {
  llmExtractor,
  llmSummariser,
  ruleExtractor,
  type CandidateFact,
  type Extractor,
  type LanguageModel,
  type Summariser,
} from './extractor.js';
import type { FactMemory } from './facts.js';
import { newRecord } from './new-record.js';

export type { Extractor, LanguageModel } from './extractor.js';

interface Model {
  /** Who the facts are attributed to. */
  source: 'llm' | 'extractor';
  extractor: Extractor;
  summariser: Summariser | undefined;
}

const BATCH = 20;
const DEFAULT_MAX_RECORDS = 10_000;
/** Turns quoted in an extractive episode summary. */
const SUMMARY_TURNS = 3;
const SUMMARY_CHARS = 600;

/** A conversation turn (not a summary): what consolidation takes in. */
export function isTurn(facet: Facet): boolean {
  return (facet.tier === 'episodic' || facet.tier === 'shortTerm') && facet.summaryOf === undefined;
}

export class Consolidator {
  private running: Promise<ConsolidationReport> | undefined;

  constructor(
    private readonly engine: MemoryEngine,
    private readonly facts: FactMemory,
    private readonly defaultExtractor: Extractor = ruleExtractor,
  ) {}

  get isRunning(): boolean {
    return this.running !== undefined;
  }

  /**
   * One pass at a time: a second call while one runs waits for it and then runs its own. `onProgress` gets
   * the report so far after each batch.
   */
  async run(
    options: ConsolidateOptions = {},
    signal?: AbortSignalLike,
    onProgress?: (report: ConsolidationReport) => void,
    llm?: LanguageModel,
  ): Promise<ConsolidationReport> {
    const opts = checkOptions(options, ['maxRecords', 'prune'], 'options');
    const maxRecords =
      opts['maxRecords'] === undefined
        ? DEFAULT_MAX_RECORDS
        : checkInteger(opts['maxRecords'], 'options.maxRecords', 1, 1_000_000);
    const prune = opts['prune'] === undefined ? undefined : checkPrune(opts['prune']);
    while (this.running) await this.running.catch(() => undefined);
    // With the app's model, facts and summaries come from it; without, from the rules and the extractive summary.
    const model: Model = llm
      ? { source: 'llm', extractor: llmExtractor(llm), summariser: llmSummariser(llm) }
      : { source: 'extractor', extractor: this.defaultExtractor, summariser: undefined };
    const pass = this.pass(model, maxRecords, prune, signal, onProgress);
    this.running = pass;
    try {
      return await pass;
    } finally {
      this.running = undefined;
    }
  }

  private async pass(
    model: Model,
    maxRecords: number,
    prune: Prune | undefined,
    signal: AbortSignalLike | undefined,
    onProgress: ((report: ConsolidationReport) => void) | undefined,
  ): Promise<ConsolidationReport> {
    const report: ConsolidationReport = {
      processed: 0,
      factsAdded: 0,
      factsMerged: 0,
      factsInvalidated: 0,
      episodesSummarised: 0,
      pruned: 0,
      more: false,
      rejected: [],
    };
    await this.engine.settle();
    const pending = this.engine.idsWhere((facet) => isTurn(facet) && facet.consolidatedAt === undefined);
    const at = (id: string) => this.engine.facets.get(id)?.eventAt ?? 0;
    pending.sort((a, b) => at(a) - at(b) || (a < b ? -1 : 1));
    const taken = pending.slice(0, maxRecords);
    report.more = pending.length > taken.length;

    for (let start = 0; start < taken.length; start += BATCH) {
      throwIfAborted(signal);
      const turns = (await this.engine.getMany(taken.slice(start, start + BATCH))).filter((r): r is MemoryRecord => !!r);
      const extracted = await this.extract(model.extractor, turns, report);
      if (!extracted) {
        onProgress?.({ ...report, rejected: [...report.rejected] });
        continue;
      }
      // A fact became true when it was said, not when this pass ran: `asOf` over old conversations stays right.
      const saidAt = new Map(turns.map((t) => [t.id, t.eventAt]));
      const trustIn = new Map(turns.map((t) => [t.id, trustOf(t)]));
      for (const candidate of extracted) {
        const { outcome } = await this.facts.add(
          {
            text: candidate.text,
            sourceIds: candidate.sourceIds,
            validFrom: Math.max(...candidate.sourceIds.map((id) => saidAt.get(id) ?? -Infinity)),
            ...(candidate.key !== undefined && { key: candidate.key }),
            ...(candidate.importance !== undefined && { importance: candidate.importance }),
            source: { kind: model.source },
          },
          // A fact says what its turns said: their trust, whoever (rules or the app's model) extracted it.
          { trust: minTrust(...candidate.sourceIds.map((id) => trustIn.get(id))) },
        );
        if (outcome === 'added') report.factsAdded++;
        else if (outcome === 'merged') report.factsMerged++;
        else {
          report.factsAdded++;
          report.factsInvalidated++;
        }
      }
      await this.markConsolidated(turns.map((t) => t.id));
      report.processed += turns.length;
      onProgress?.({ ...report, rejected: [...report.rejected] });
    }

    for (const session of this.sessionsToSummarise()) {
      throwIfAborted(signal);
      if (await this.summarise(session, model.summariser, report)) report.episodesSummarised++;
    }
    if (prune) report.pruned = await this.prune(prune, signal);
    return report;
  }

  /**
   * Sessions whose summary is missing or older than their last consolidated turn. Read from the records, not
   * kept in memory: a pass stopped between marking turns and summarising (or a closed page) leaves the
   * summary to the next pass, which finds it missing here.
   */
  private sessionsToSummarise(): string[] {
    const summarisedAt = new Map<string, number>();
    const consolidatedUpTo = new Map<string, number>();
    const summarisedTurns = new Map<string, number>();
    const consolidatedTurns = new Map<string, number>();
    for (const [, facet] of this.engine.facets.entries()) {
      if (facet.summaryOf !== undefined) {
        summarisedAt.set(facet.summaryOf, facet.consolidatedAt ?? 0);
        summarisedTurns.set(facet.summaryOf, facet.sourceCount);
      } else if (isTurn(facet) && facet.sessionId !== undefined && facet.consolidatedAt !== undefined) {
        consolidatedUpTo.set(facet.sessionId, Math.max(consolidatedUpTo.get(facet.sessionId) ?? 0, facet.consolidatedAt));
        consolidatedTurns.set(facet.sessionId, (consolidatedTurns.get(facet.sessionId) ?? 0) + 1);
      }
    }
    return [...consolidatedUpTo.keys()].filter(
      (session) =>
        !summarisedAt.has(session) ||
        consolidatedUpTo.get(session)! > summarisedAt.get(session)! ||
        (summarisedTurns.get(session) ?? 0) < consolidatedTurns.get(session)!,
    );
  }

  /** The extractor's facts for a batch, or undefined (and the batch left for a later pass) if it refused. */
  private async extract(
    extractor: Extractor,
    turns: MemoryRecord[],
    report: ConsolidationReport,
  ): Promise<Awaited<ReturnType<Extractor>> | undefined> {
    const ids = new Set(turns.map((t) => t.id));
    try {
      const facts = await extractor(turns);
      if (!Array.isArray(facts)) throw invalid('extractor', 'must return an array');
      for (const fact of facts) {
        if (typeof fact?.text !== 'string' || !Array.isArray(fact.sourceIds) || !fact.sourceIds.every((id) => ids.has(id))) {
          throw invalid('extractor', 'each fact needs a text and sourceIds from its batch');
        }
        checkCandidate(fact);
      }
      return facts;
    } catch (error) {
      if (!(error instanceof MnemoError) || error.code !== 'INVALID_ARGUMENT') throw error;
      for (const turn of turns) report.rejected.push({ id: turn.id, reason: error.message });
      return undefined;
    }
  }

  private async markConsolidated(ids: string[]): Promise<void> {
    await this.engine.exclusive(async () => {
      const now = this.engine.now();
      const current = (await this.engine.getMany(ids)).filter((r): r is MemoryRecord => !!r);
      await this.engine.writeNow(current.map((r) => ({ ...r, consolidatedAt: now })));
    });
  }

  /** An extractive summary of a session (its most central turns), replacing the session's previous one. */
  private async summarise(sessionId: string, summariser: Summariser | undefined, report: ConsolidationReport): Promise<boolean> {
    const ids = this.engine.sessionTurns(sessionId);
    const turns = (await this.engine.getMany(ids)).filter((r): r is MemoryRecord => !!r);
    if (turns.length === 0) return false;
    let text = extractiveSummary(turns);
    let name = 'mnemo-extractive-summary';
    if (summariser) {
      try {
        text = await summariser(turns);
        name = 'llm';
      } catch (error) {
        // A refused summary falls back to the extractive one; the app hears why.
        if (!(error instanceof MnemoError) || error.code !== 'INVALID_ARGUMENT') throw error;
        report.rejected.push({ id: turns[0]!.id, reason: error.message });
      }
    }
    const record = newRecord(
      { id: this.engine.newId(), namespace: this.engine.namespace, now: this.engine.now() },
      {
        tier: 'episodic',
        text,
        eventAt: turns[0]!.eventAt,
        sourceIds: turns.slice(0, LIMITS.maxBatchSize).map((t) => t.id),
        source: { kind: name === 'llm' ? 'llm' : 'extractor', name },
        trust: minTrust(...turns.map(trustOf)),
        meta: { summaryOf: sessionId, turns: turns.length },
      },
    );
    const vectors = await this.engine.vectorsFor([record]);
    await this.engine.exclusive(async () => {
      const previous = this.engine.idsWhere((facet) => facet.summaryOf === sessionId);
      if (previous.length > 0) await this.engine.deleteNow(previous);
      await this.engine.writeNow([{ ...record, consolidatedAt: this.engine.now() }], vectors);
    });
    return true;
  }

  private async prune(policy: Prune, signal: AbortSignalLike | undefined): Promise<number> {
    throwIfAborted(signal);
    const now = this.engine.now();
    const ids = this.engine.idsWhere(
      (facet) =>
        policy.tiers.has(facet.tier) &&
        // A turn no pass has taken yet (left for the next by maxRecords, or refused) keeps its facts to give.
        !(isTurn(facet) && facet.consolidatedAt === undefined) &&
        facet.importance < policy.belowImportance &&
        retentionOf(facet, now) < policy.belowRetention,
    );
    let pruned = 0;
    for (let start = 0; start < ids.length; start += LIMITS.maxBatchSize) {
      pruned += (await this.engine.deleteIds(ids.slice(start, start + LIMITS.maxBatchSize), signal)).length;
    }
    return pruned;
  }
}

/** What `facts.add` would refuse, refused before any fact of the batch is written: a batch lands whole or not at all. */
function checkCandidate(fact: CandidateFact): void {
  try {
    checkText(fact.text, 'text');
    if (fact.key !== undefined) checkLabel(fact.key, 'key');
    if (fact.importance !== undefined) checkUnitInterval(fact.importance, 'importance');
  } catch (error) {
    throw invalid('extractor', `a fact has a bad ${error instanceof Error ? error.message : String(error)}`);
  }
}

interface Prune {
  belowRetention: number;
  belowImportance: number;
  tiers: ReadonlySet<Tier>;
}

function checkPrune(value: unknown): Prune {
  const opts = checkOptions(value, ['belowRetention', 'belowImportance', 'tiers'], 'options.prune');
  if (opts['belowRetention'] === undefined) throw invalid('options.prune.belowRetention', 'is required');
  const tiers = opts['tiers'] === undefined ? ['episodic'] : opts['tiers'];
  if (!Array.isArray(tiers) || tiers.length === 0) throw invalid('options.prune.tiers', 'must be a non-empty array of tiers');
  return {
    belowRetention: checkUnitInterval(opts['belowRetention'], 'options.prune.belowRetention'),
    belowImportance:
      opts['belowImportance'] === undefined ? 0.5 : checkUnitInterval(opts['belowImportance'], 'options.prune.belowImportance'),
    tiers: new Set(tiers.map((t, i) => checkTier(t, `options.prune.tiers[${i}]`))),
  };
}

/** The date, the speakers, and the turns that share the most words with the rest of the session. */
export function extractiveSummary(turns: readonly MemoryRecord[]): string {
  const bags = turns.map((t) => new Set(termCounts(t.text).keys()));
  const df = new Map<string, number>();
  for (const bag of bags) for (const term of bag) df.set(term, (df.get(term) ?? 0) + 1);
  const scored = turns.map((turn, i) => {
    const bag = bags[i]!;
    let shared = 0;
    for (const term of bag) shared += (df.get(term) ?? 1) - 1;
    return { turn, i, score: bag.size === 0 ? 0 : shared / Math.sqrt(bag.size) };
  });
  const chosen = scored
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, SUMMARY_TURNS)
    .sort((a, b) => a.i - b.i);
  const speakers = [...new Set(turns.flatMap((t) => (t.speaker ? [t.speaker] : [])))];
  const head = `${new Date(turns[0]!.eventAt).toISOString().slice(0, 10)}, ${turns.length} turns${speakers.length ? ` (${speakers.join(', ')})` : ''}: `;
  const body = chosen.map(({ turn }) => (turn.speaker ? `${turn.speaker}: ${turn.text}` : turn.text)).join(' … ');
  const text = head + body;
  return text.length > SUMMARY_CHARS ? `${text.slice(0, SUMMARY_CHARS - 1)}…` : text;
}
