// Short-term memory: the newest turns of a session that fit a token budget. A view over the session's
// episodic turns, not a second copy: a turn that falls out of the window is still there to recall.

import type { MemoryEngine } from '../engine.js';
import type { MemoryRecord } from '../record.js';
import type { TokenCounter } from './token-count.js';

export const DEFAULT_RECENT_TOKENS = 1000;

/** How a turn is shown in a prompt, and so what it costs in tokens. */
export function renderTurn(record: MemoryRecord): string {
  return `${record.speaker ?? 'unknown'}: ${record.text}`;
}
/** Turns read per step back through a session. */
const STEP = 32;

/** Oldest first; each turn costs what it costs as shown (`renderTurn`). */
export async function recentTurns(
  engine: MemoryEngine,
  sessionId: string,
  budgetTokens: number,
  count: TokenCounter,
): Promise<{ turns: MemoryRecord[]; tokens: number; left: MemoryRecord[] }> {
  const ids = engine.sessionTurns(sessionId);
  const turns: MemoryRecord[] = [];
  let tokens = 0;
  for (let end = ids.length; end > 0; end -= STEP) {
    const records = await engine.getMany(ids.slice(Math.max(0, end - STEP), end));
    for (let i = records.length - 1; i >= 0; i--) {
      const record = records[i];
      if (!record) continue;
      const cost = count(renderTurn(record));
      if (tokens + cost > budgetTokens) return { turns: turns.reverse(), tokens, left: [record] };
      turns.push(record);
      tokens += cost;
    }
  }
  return { turns: turns.reverse(), tokens, left: [] };
}
