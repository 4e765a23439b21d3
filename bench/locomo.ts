// LoCoMo retrieval: every turn of each conversation remembered through the public API, every question
// (categories 1-4) recalled, turn-level evidence recall@k printed per category, and the ranked turns written.
//
//   npx tsx bench/locomo.ts [--data <dir>] [--out <file>] [--embedder hash] [--k 50]
//
// --data: LoCoMo-format conversations (default ../shared/data/locomo-dev, or LOCOMO_DIR);
// --out: a JSON array of { conversation, question, category, evidence, retrieved } (retrieved: top dia_ids);
// --embedder hash | mnemo-tiny-bert-v1 | mnemo-minilm-arch-v1: hybrid recall with the hash embedder or a
//   generated random-weights model (scripts/generate-test-models.mjs) (default: lexical only, no embedder);
// --without speaker,time,when,question: switches those ranking signals off, to measure what each adds.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { InMemoryStore } from '../src/adapters/memory-store.js';
import { TransformersEmbedder } from '../src/adapters/transformers-embedder.js';
import { HashEmbedder } from '../src/core/embedding/hash-embedder.js';
import { MODEL_REGISTRY } from '../src/core/embedding/model-registry.js';
import type { Embedder } from '../src/core/ports.js';
import { RANKING } from '../src/core/retrieval/ranking.js';
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
type Conversation = Record<string, unknown> & { sample_id?: string; conversation?: Record<string, unknown>; qa: Question[] };

const { values: args } = parseArgs({
  options: {
    data: { type: 'string', default: process.env['LOCOMO_DIR'] ?? join(import.meta.dirname, '../../shared/data/locomo-dev') },
    out: { type: 'string' },
    embedder: { type: 'string' },
    k: { type: 'string', default: '50' },
    without: { type: 'string', default: '' },
  },
});
// Ablation only: the bench sets the signal's multiplier to 1. The runtime itself has no switch for this.
const SIGNALS = { speaker: 'speakerBoost', time: 'timeBoost', when: 'whenBoost', question: 'askingFactor' } as const;
for (const name of args.without.split(',').filter(Boolean)) {
  const key = SIGNALS[name as keyof typeof SIGNALS];
  if (!key) throw new Error(`unknown --without "${name}" (known: ${Object.keys(SIGNALS).join(', ')})`);
  (RANKING as Record<string, number>)[key] = 1;
}
const KS = [1, 5, 10, 20] as const;
const depth = Number(args.k);
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

/** The hash embedder, or a generated model under public/models through transformers.js (onnxruntime-node). */
async function makeEmbedder(): Promise<Embedder | undefined> {
  if (args.embedder === undefined) return undefined;
  if (args.embedder === 'hash') return new HashEmbedder();
  const model = MODEL_REGISTRY[args.embedder];
  if (!model?.local)
    throw new Error(`unknown --embedder "${args.embedder}" (known: hash, mnemo-tiny-bert-v1, mnemo-minilm-arch-v1)`);
  return TransformersEmbedder.load({ model, device: 'cpu', localModelPath: join(import.meta.dirname, '../public/models/') });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

interface Row {
  conversation: string;
  question: string;
  category: number;
  evidence: string[];
  retrieved: string[];
}
const rows: Row[] = [];
let turnsRemembered = 0;
let rememberMs = 0;
const recallTimes: number[] = [];
const started = performance.now();

const files = readdirSync(args.data)
  .filter((f) => f.endsWith('.json'))
  .sort();
if (files.length === 0) throw new Error(`no .json conversations in ${args.data}`);
for (const file of files) {
  const raw = JSON.parse(readFileSync(join(args.data, file), 'utf8')) as Conversation;
  // The released LoCoMo file nests sessions under "conversation"; the dev copies may hold them at the top.
  const sessions = raw.conversation ?? raw;
  const name = raw.sample_id ?? basename(file, '.json');
  const embedder = await makeEmbedder();
  const memory = await MemoryRuntime.open({
    namespace: 'locomo',
    store: new InMemoryStore(),
    clock: new ManualClock(),
    newId: sequentialIds(),
    ...(embedder && { embedder }),
  });
  let lastSession = 0;
  const numbers = Object.keys(sessions)
    .flatMap((key) => /^session_(\d+)$/.exec(key)?.[1] ?? [])
    .map(Number)
    .sort((a, b) => a - b);
  for (const s of numbers) {
    const turns = sessions[`session_${s}`] as Turn[];
    const at = parseSessionDate(String(sessions[`session_${s}_date_time`]));
    lastSession = Math.max(lastSession, at);
    const inputs = turns.map((turn) => ({
      // The image caption is part of what was shared (RETRIEVAL-NOTES: keep it in the indexed text).
      text: turn.blip_caption ? `${turn.text} [image: ${turn.blip_caption}]` : turn.text,
      speaker: turn.speaker,
      sessionId: `session_${s}`,
      at,
      meta: { dia_id: turn.dia_id },
    }));
    const t0 = performance.now();
    await memory.remember(inputs);
    rememberMs += performance.now() - t0;
    turnsRemembered += inputs.length;
  }

  for (const qa of raw.qa) {
    if (qa.category === 5 || !Array.isArray(qa.evidence) || qa.evidence.length === 0) continue;
    const t0 = performance.now();
    const hits = await memory.recall(qa.question, { k: depth, referenceTime: lastSession, reinforce: false });
    recallTimes.push(performance.now() - t0);
    const retrieved: string[] = [];
    for (const hit of hits) {
      // Derived records (facts, episode summaries) stand for the turns they came from.
      const ids = hit.record.meta['dia_id'] !== undefined ? [hit.record.meta['dia_id']] : (hit.record.meta['dia_ids'] ?? []);
      for (const id of Array.isArray(ids) ? ids : [ids]) {
        if (typeof id === 'string' && !retrieved.includes(id)) retrieved.push(id);
      }
    }
    rows.push({
      conversation: name,
      question: qa.question,
      category: qa.category,
      evidence: qa.evidence,
      retrieved: retrieved.slice(0, depth),
    });
  }
  await memory.close();
}

function recallAt(row: Row, k: number): number {
  const top = new Set(row.retrieved.slice(0, k));
  return row.evidence.filter((e) => top.has(e)).length / row.evidence.length;
}
function line(label: string, subset: Row[]): string {
  const cells = KS.map((k) => (subset.reduce((sum, r) => sum + recallAt(r, k), 0) / subset.length).toFixed(3));
  return `| ${label} | ${subset.length} | ${cells.join(' | ')} |`;
}

if (args.out) writeFileSync(args.out, JSON.stringify(rows, null, 1));
recallTimes.sort((a, b) => a - b);
const categories = [...new Set(rows.map((r) => r.category))].sort();
console.log(
  `LoCoMo: ${files.length} conversations, ${turnsRemembered} turns, ${rows.length} questions; ` +
    `embedder: ${args.embedder ?? 'none (lexical)'}${args.without ? `; without ${args.without}` : ''}; Node ${process.version}`,
);
console.log('| category | questions | R@1 | R@5 | R@10 | R@20 |\n|---|---|---|---|---|---|');
for (const c of categories)
  console.log(
    line(
      String(c),
      rows.filter((r) => r.category === c),
    ),
  );
console.log(line('all', rows));
console.log(
  `remember: ${((rememberMs / turnsRemembered) * 1000).toFixed(0)} µs per turn (batch per session, in-memory store); ` +
    `recall k=${depth}: p50 ${percentile(recallTimes, 0.5).toFixed(2)} ms, p95 ${percentile(recallTimes, 0.95).toFixed(2)} ms; ` +
    `total ${((performance.now() - started) / 1000).toFixed(1)} s`,
);
