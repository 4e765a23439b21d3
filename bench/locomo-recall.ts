// Lexical recall of the runtime on the LoCoMo dev conversations: turn-level evidence recall@k and time per turn/query.
// Run: npm run bench:locomo [-- --hash [--lexical-weight 0.97]]  (reads ../shared/data/locomo-dev, or LOCOMO_DIR)
// --hash adds the hash embedder, so recall is hybrid (dense + lexical), fused with the given lexical weight.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { InMemoryStore } from '../src/adapters/memory-store.js';
import { HashEmbedder } from '../src/core/embedding/hash-embedder.js';
import { MemoryRuntime } from '../src/core/runtime.js';
import { ManualClock, sequentialIds } from '../src/core/test-support.js';

interface Turn {
  speaker: string;
  dia_id: string;
  text: string;
  blip_caption?: string;
}
interface Question {
  question: string;
  evidence: string[];
  category: number;
}
type Conversation = Record<string, unknown> & { qa: Question[] };

const args = process.argv.slice(2);
const hybrid = args.includes('--hash');
const weightArg = args.indexOf('--lexical-weight');
const lexicalWeight = weightArg >= 0 ? Number(args[weightArg + 1]) : 1 - new HashEmbedder().denseWeight;
const dir = process.env['LOCOMO_DIR'] ?? join(import.meta.dirname, '../../shared/data/locomo-dev');
const KS = [1, 5, 10, 20] as const;
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];

/** "1:56 pm on 8 May, 2023" -> epoch ms (UTC). */
function parseSessionDate(value: string): number {
  const m = /(\d+):(\d+)\s*(am|pm) on (\d+) (\w+),? (\d{4})/i.exec(value);
  if (!m) throw new Error(`unparsed session date "${value}"`);
  const [, h, min, ampm, day, month, year] = m as unknown as [string, string, string, string, string, string, string];
  const hour = (Number(h) % 12) + (ampm.toLowerCase() === 'pm' ? 12 : 0);
  return Date.UTC(Number(year), MONTHS.indexOf(month.toLowerCase()), Number(day), hour, Number(min));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const totals = Object.fromEntries(KS.map((k) => [k, 0])) as Record<number, number>;
const perCategory = new Map<number, { n: number; r10: number }>();
let questions = 0;
let turnsIndexed = 0;
let indexMs = 0;
const queryTimes: number[] = [];

for (const file of readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()) {
  const conversation = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Conversation;
  const memory = await MemoryRuntime.open({
    namespace: 'bench',
    store: new InMemoryStore(),
    clock: new ManualClock(),
    newId: sequentialIds(),
    ...(hybrid && { embedder: new HashEmbedder(), fusion: { lexical: lexicalWeight, dense: 1 - lexicalWeight } }),
  });
  const recordOfTurn = new Map<string, string>();
  const turnOfRecord = new Map<string, string>();
  for (let s = 1; Array.isArray(conversation[`session_${s}`]); s++) {
    const turns = conversation[`session_${s}`] as Turn[];
    const at = parseSessionDate(String(conversation[`session_${s}_date_time`]));
    const inputs = turns.map((turn) => ({
      // The image caption is part of what was said (RETRIEVAL-NOTES: keep it in the indexed text).
      text: turn.blip_caption ? `${turn.text} [image: ${turn.blip_caption}]` : turn.text,
      speaker: turn.speaker,
      sessionId: `session_${s}`,
      at,
    }));
    const started = performance.now();
    const records = await memory.remember(inputs);
    indexMs += performance.now() - started;
    turnsIndexed += records.length;
    records.forEach((record, i) => {
      const turnId = turns[i]!.dia_id;
      recordOfTurn.set(turnId, record.id);
      turnOfRecord.set(record.id, turnId);
    });
  }

  for (const qa of conversation.qa) {
    if (qa.category === 5 || qa.evidence.length === 0) continue;
    const started = performance.now();
    const hits = await memory.recall(qa.question, { k: 20 });
    queryTimes.push(performance.now() - started);
    const ranked = hits.map((h) => turnOfRecord.get(h.record.id));
    const evidence = new Set(qa.evidence);
    questions++;
    for (const k of KS) totals[k]! += ranked.slice(0, k).filter((t) => t && evidence.has(t)).length / evidence.size;
    const r10 = ranked.slice(0, 10).filter((t) => t && evidence.has(t)).length / evidence.size;
    const entry = perCategory.get(qa.category) ?? { n: 0, r10: 0 };
    entry.n++;
    entry.r10 += r10;
    perCategory.set(qa.category, entry);
  }
  await memory.close();
}

queryTimes.sort((a, b) => a - b);
console.log(
  `LoCoMo dev: ${questions} questions (categories 1-4), ${turnsIndexed} turns, Node ${process.version}, ` +
    (hybrid ? `hybrid: hash embedder, lexical weight ${lexicalWeight}` : 'lexical only'),
);
console.log(`recall@k: ${KS.map((k) => `R@${k} ${(totals[k]! / questions).toFixed(3)}`).join('  ')}`);
console.log(
  `R@10 by category: ${[...perCategory.entries()]
    .sort(([a], [b]) => a - b)
    .map(([c, e]) => `${c}: ${(e.r10 / e.n).toFixed(2)}`)
    .join('  ')}`,
);
console.log(`remember (batch per session, in-memory store): ${((indexMs / turnsIndexed) * 1000).toFixed(0)} µs per turn`);
console.log(`recall k=20: p50 ${percentile(queryTimes, 0.5).toFixed(2)} ms, p95 ${percentile(queryTimes, 0.95).toFixed(2)} ms`);
