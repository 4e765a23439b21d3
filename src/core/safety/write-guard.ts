// Write budgets and flood control for low-trust writers: a web page or a model's tool calls can plant a few
// records, not thousands, and not the same text over and over (repetition is how a planted record outranks
// the truth). Counted per runtime in memory: a reload starts the counts afresh.

import { MnemoError } from '../errors.js';
import type { MemoryRecord } from '../record.js';
import { readings } from './normalise.js';
import { trustOf } from './trust.js';

export interface WriteBudget {
  /** Low-trust records one source (kind and name) may write per minute. */
  lowTrustPerMinute: number;
  /** Near-identical low-trust texts (any source) allowed within `nearDuplicateWindowMs`; the next is refused. */
  nearDuplicates: number;
  nearDuplicateWindowMs: number;
  /** Word-shingle Jaccard similarity from which two texts count as near-identical. */
  similarity: number;
}

export const DEFAULT_WRITE_BUDGET: Readonly<WriteBudget> = Object.freeze({
  lowTrustPerMinute: 60,
  nearDuplicates: 3,
  nearDuplicateWindowMs: 10 * 60_000,
  similarity: 0.7,
});

const MINUTE = 60_000;
/** Recent low-trust texts kept for comparison; older ones fall out first. */
const MAX_RECENT = 512;

interface Recent {
  at: number;
  shingles: ReadonlySet<string>;
}

export class WriteGuard {
  private readonly budget: WriteBudget;
  private readonly writes = new Map<string, number[]>();
  private recent: Recent[] = [];

  constructor(
    private readonly now: () => number,
    budget: Partial<WriteBudget> = {},
  ) {
    this.budget = { ...DEFAULT_WRITE_BUDGET, ...budget };
  }

  /**
   * Admits a batch whole or throws (WRITE_BUDGET_EXCEEDED, WRITE_FLOOD; both retryable later) before
   * anything is written. The batch is counted at once, so two calls in flight cannot both slip through;
   * call the returned function if the write then fails, to give the budget back.
   */
  admit(records: readonly MemoryRecord[]): () => void {
    const low = records.filter((r) => trustOf(r) === 'low');
    if (low.length === 0) return () => undefined;
    const now = this.now();
    this.expire(now);
    const bySource = new Map<string, number>();
    for (const r of low) bySource.set(sourceKey(r), (bySource.get(sourceKey(r)) ?? 0) + 1);
    for (const [source, count] of bySource) {
      const used = this.writes.get(source) ?? [];
      if (used.length + count > this.budget.lowTrustPerMinute) {
        const retryAfterMs = used.length > 0 ? Math.max(0, used[0]! + MINUTE - now) : MINUTE;
        throw new MnemoError(
          'WRITE_BUDGET_EXCEEDED',
          `The low-trust source "${source}" may write ${this.budget.lowTrustPerMinute} records a minute; this batch of ${count} would pass it.`,
          { details: { source, limit: this.budget.lowTrustPerMinute, used: used.length, batch: count, retryAfterMs } },
        );
      }
    }
    const added: Recent[] = [];
    for (const [i, r] of low.entries()) {
      const shingles = shinglesOf(r.text);
      const twins = [...this.recent, ...added].filter((other) => jaccard(shingles, other.shingles) >= this.budget.similarity);
      if (twins.length >= this.budget.nearDuplicates) {
        throw new MnemoError(
          'WRITE_FLOOD',
          `A low-trust text nearly identical to ${twins.length} written in the last ${this.budget.nearDuplicateWindowMs / MINUTE} minutes was refused.`,
          { details: { index: records.indexOf(low[i]!), similar: twins.length, limit: this.budget.nearDuplicates } },
        );
      }
      added.push({ at: now, shingles });
    }
    for (const [source, count] of bySource) {
      const used = this.writes.get(source) ?? [];
      for (let i = 0; i < count; i++) used.push(now);
      this.writes.set(source, used);
    }
    this.recent.push(...added);
    if (this.recent.length > MAX_RECENT) this.recent = this.recent.slice(-MAX_RECENT);
    return () => {
      for (const [source, count] of bySource) this.writes.get(source)?.splice(-count, count);
      this.recent = this.recent.filter((entry) => !added.includes(entry));
    };
  }

  private expire(now: number): void {
    for (const [source, times] of this.writes) {
      const kept = times.filter((t) => t > now - MINUTE);
      if (kept.length === 0) this.writes.delete(source);
      else this.writes.set(source, kept);
    }
    this.recent = this.recent.filter((entry) => entry.at > now - this.budget.nearDuplicateWindowMs);
  }
}

function sourceKey(record: MemoryRecord): string {
  return record.source.name === undefined ? record.source.kind : `${record.source.kind}:${record.source.name}`;
}

/** Word pairs of the normalised text, numbers blurred: "deal #1", "deal #2" are the same flood. */
export function shinglesOf(text: string): Set<string> {
  const words = (readings(text).forms[0] ?? '').replace(/\d+/g, '0').match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 2) return new Set(words);
  const out = new Set<string>();
  for (let i = 0; i + 1 < words.length; i++) out.add(`${words[i]} ${words[i + 1]}`);
  return out;
}

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}
