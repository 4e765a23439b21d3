// context(): a prompt-ready block that never exceeds its token budget. Working blocks and standing
// instructions go first, whole; relevant facts, relevant episodes and the session's recent turns share
// what is left; everything relevant that did not fit is reported.

import type { BuiltContext, ContextOptions, ContextPart, ContextSection, RecallHit } from '../api.js';
import type { MemoryEngine } from '../engine.js';
import type { MemoryRecord } from '../record.js';
import { trustOf } from '../safety/trust.js';
import { flagsOfRecord, isWithheld } from '../safety/withheld.js';
import { checkBoolean, checkInstant, checkInteger, checkLabel, checkOptions, checkUnitInterval, invalid } from '../validate.js';
import { recentTurns, renderTurn } from './recent-turns.js';
import type { TokenCounter } from './token-count.js';
import { blockOf } from './working-memory.js';

export const DEFAULT_CONTEXT_TOKENS = 2000;
const MAX_CONTEXT_TOKENS = 1_000_000;
const DEFAULT_SHARES = { facts: 0.3, episodes: 0.4, recent: 0.3 };
const CANDIDATES = 30;
const TITLES: Record<ContextSection, string> = {
  working: '## Working memory',
  procedural: '## Instructions',
  facts: '## Known facts',
  episodes: '## Relevant memories',
  recent: '## Recent conversation',
};

export interface ContextDeps {
  engine: MemoryEngine;
  count: TokenCounter;
  tokenizer: string;
  /** The ranked hits of a recall in these tiers. */
  search(query: string, tiers: MemoryRecord['tier'][], k: number, referenceTime: number): Promise<RecallHit[]>;
}

export async function buildContext(deps: ContextDeps, query: string, options: ContextOptions = {}): Promise<BuiltContext> {
  if (typeof query !== 'string') throw invalid('query', 'must be a string');
  const opts = checkOptions(
    options,
    ['budgetTokens', 'shares', 'sessionId', 'referenceTime', 'includeFlagged', 'onlyTrusted'],
    'options',
  );
  const budget =
    opts['budgetTokens'] === undefined
      ? DEFAULT_CONTEXT_TOKENS
      : checkInteger(opts['budgetTokens'], 'options.budgetTokens', 1, MAX_CONTEXT_TOKENS);
  const shares = checkShares(opts['shares']);
  const sessionId = opts['sessionId'] === undefined ? undefined : checkLabel(opts['sessionId'], 'options.sessionId');
  const referenceTime =
    opts['referenceTime'] === undefined ? deps.engine.now() : checkInstant(opts['referenceTime'], 'options.referenceTime');
  const includeFlagged =
    opts['includeFlagged'] === undefined ? false : checkBoolean(opts['includeFlagged'], 'options.includeFlagged');
  const onlyTrusted = opts['onlyTrusted'] === undefined ? false : checkBoolean(opts['onlyTrusted'], 'options.onlyTrusted');
  if (onlyTrusted && includeFlagged) throw invalid('options', 'onlyTrusted and includeFlagged contradict each other');

  const { engine, count } = deps;
  const out = new Assembler(count, budget);
  await engine.settle();

  const blocks = (await engine.recordsWhere((f) => f.tier === 'working'))
    .map(blockOf)
    .sort((a, b) => (a.label < b.label ? -1 : 1));
  out.section(
    'working',
    blocks.map((b) => ({ id: b.label, text: `### ${b.label}\n${b.value}` })),
    budget,
  );
  const now = engine.now();
  const instructions = (
    await engine.recordsWhere((f) => f.tier === 'procedural' && (f.invalidAt === undefined || f.invalidAt > now))
  ).sort((a, b) => b.importance - a.importance || a.createdAt - b.createdAt);
  out.section(
    'procedural',
    instructions.map((r) => ({ id: r.id, text: `- ${r.text}` })),
    budget,
  );

  // Facts, episodes and recent turns split the rest; what facts and recent turns leave goes to episodes.
  const rest = budget - out.tokens;
  const searching = query.trim().length > 0;
  // Flagged low-trust text (a planted instruction) never reaches the prompt unless the app asks for it; with
  // `onlyTrusted`, no low-trust text does, flagged or not (the detector knows phrasings, not intent).
  const withheld = (record: MemoryRecord) => (onlyTrusted ? trustOf(record) === 'low' : !includeFlagged && isWithheld(record));
  const admit = <T>(section: ContextSection, items: T[], recordOf: (item: T) => MemoryRecord): T[] =>
    items.filter((item) => {
      const record = recordOf(item);
      if (!withheld(record)) return true;
      out.withhold(section, record.id, [...flagsOfRecord(record)]);
      return false;
    });
  const hitRecord = (hit: RecallHit) => hit.record;
  const facts = searching ? admit('facts', await deps.search(query, ['semantic'], CANDIDATES, referenceTime), hitRecord) : [];
  const found = searching
    ? admit('episodes', await deps.search(query, ['shortTerm', 'episodic', 'archival'], CANDIDATES, referenceTime), hitRecord)
    : [];
  // With no fact and no episode to place, their shares pass on to the recent turns.
  const recentShare = facts.length === 0 && found.length === 0 ? 1 : shares.recent;
  const recentHeader = count(TITLES.recent);
  const recent =
    sessionId === undefined
      ? undefined
      : await recentTurns(engine, sessionId, Math.max(0, Math.floor(rest * recentShare) - recentHeader), count);
  if (recent) {
    recent.turns = admit('recent', recent.turns, (turn) => turn);
    recent.tokens = recent.turns.reduce((sum, turn) => sum + count(renderTurn(turn)), 0);
  }
  const recentReserved = recent && recent.turns.length > 0 ? recent.tokens + recentHeader : 0;
  const inRecent = new Set(recent?.turns.map((t) => t.id));
  const episodes = found.filter((h) => !inRecent.has(h.record.id));
  const factsUsed = out.section(
    'facts',
    facts.map((h) => ({ id: h.record.id, text: renderFact(h.record) })),
    Math.floor(rest * shares.facts),
  );
  out.section(
    'episodes',
    episodes.map((h) => ({ id: h.record.id, text: renderEpisode(h.record) })),
    rest - factsUsed - recentReserved,
  );
  if (recent) {
    out.section(
      'recent',
      recent.turns.map((t) => ({ id: t.id, text: renderTurn(t) })),
      recentReserved,
    );
    for (const left of recent.left) out.omit('recent', left.id, count(renderTurn(left)));
  }
  return out.result(deps.tokenizer);
}

/** Collects sections line by line, never past the budget. */
class Assembler {
  tokens = 0;
  private readonly lines: string[] = [];
  private readonly parts: ContextPart[] = [];
  private readonly omitted: BuiltContext['omitted'] = [];
  private readonly withheld: BuiltContext['withheld'] = [];

  constructor(
    private readonly count: TokenCounter,
    private readonly budget: number,
  ) {}

  /** Places items in order while they fit in `limit` (and the budget); returns the tokens used. */
  section(section: ContextSection, items: { id: string; text: string }[], limit: number): number {
    const header = TITLES[section];
    const headerCost = this.count(header);
    const lines: string[] = [];
    const ids: string[] = [];
    let used = 0;
    for (const item of items) {
      const cost = this.count(item.text);
      const extra = (ids.length === 0 ? headerCost : 0) + cost;
      if (used + extra > limit || this.tokens + used + extra > this.budget) {
        this.omit(section, item.id, cost);
        continue;
      }
      if (ids.length === 0) lines.push(header);
      lines.push(item.text);
      ids.push(item.id);
      used += extra;
    }
    if (ids.length > 0) {
      this.lines.push(...lines);
      this.tokens += used;
      this.parts.push({ section, tokens: used, ids });
    }
    return used;
  }

  omit(section: ContextSection, id: string, tokens: number): void {
    this.omitted.push({ section, id, tokens });
  }

  withhold(section: ContextSection, id: string, flags: BuiltContext['withheld'][number]['flags']): void {
    this.withheld.push({ section, id, flags });
  }

  result(tokenizer: string): BuiltContext {
    // Lines are joined by newlines, which the counters do not count, so the parts add up to the whole.
    return {
      text: this.lines.join('\n'),
      tokens: this.tokens,
      budgetTokens: this.budget,
      tokenizer,
      parts: this.parts,
      omitted: this.omitted,
      withheld: this.withheld,
    };
  }
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function renderFact(record: MemoryRecord): string {
  return `- ${record.text} (since ${day(record.validFrom ?? record.eventAt)})`;
}

function renderEpisode(record: MemoryRecord): string {
  const title = typeof record.meta['title'] === 'string' ? ` (from "${record.meta['title']}")` : '';
  return `- [${day(record.eventAt)}] ${record.speaker ? `${record.speaker}: ` : ''}${record.text}${title}`;
}

function checkShares(value: unknown): typeof DEFAULT_SHARES {
  const opts = checkOptions(value, ['facts', 'episodes', 'recent'], 'options.shares');
  const shares = { ...DEFAULT_SHARES };
  for (const key of ['facts', 'episodes', 'recent'] as const) {
    if (opts[key] !== undefined) shares[key] = checkUnitInterval(opts[key], `options.shares.${key}`);
  }
  const total = shares.facts + shares.episodes + shares.recent;
  if (total === 0) throw invalid('options.shares', 'must not all be 0');
  return { facts: shares.facts / total, episodes: shares.episodes / total, recent: shares.recent / total };
}
