// Trains the injection classifier (src/core/safety/classifier/) on the training corpora: the original corpus
// (src/core/safety/corpus/, not its 30 fresh probes) and every file in bench/poisoning/data/. Never on
// bench/poisoning/blind/: those sets measure the detector on text whose authors saw neither it nor the others.
// A blind set, once measured, joins data/ for the next model, and a new one is written.
//
// Two estimates of how it does on unseen text, both from models that never saw the texts they score:
// - pooled: five folds over all authors; a new text of a kind some author wrote. The threshold is chosen here:
//   the lowest that keeps personal notes (every corpus but train-b) flagged, rules or model, <= 2%: the goal,
//   on corpora heavier in look-alike notes than a person's memory is (blind sets flag 0.4-0.9% at it).
// - one author left out: a model trained on the other authors; a pessimistic bound, since each author wrote
//   another kind of text.
//
//   npx tsx bench/poisoning/train.ts            # report only
//   npx tsx bench/poisoning/train.ts --write    # and write src/core/safety/classifier/weights.ts

import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FEATURE_BITS, featuresOf, type Features } from '../../src/core/safety/classifier/features.js';
import { encodeBase64, injectionScore, type ClassifierModel } from '../../src/core/safety/classifier/model.js';
import { poisoningCorpus } from '../../src/core/safety/corpus/corpus.js';
import { scanRules } from '../../src/core/safety/detector.js';
import { SeededRandom } from '../../src/core/vectors/seeded-random.js';
import { fnv1a } from '../../src/core/fnv1a.js';
import { DATA, corporaIn } from './corpus-files.js';

const { values } = parseArgs({ options: { write: { type: 'boolean', default: false } } });
const WEIGHTS = new URL('../../src/core/safety/classifier/weights.ts', import.meta.url);
/** The corpus whose benign texts are web pages, mails and documents; every other one's are personal notes. */
const NOT_NOTES = ['train-b'];
const MAX_NOTES_FLAGGED = 0.02;
const EPOCHS = 40;
const L2 = 1e-5;
const SEED = 20261122;

interface Example {
  text: string;
  payload: boolean;
  author: string;
  features: Features;
  rules: boolean;
}

function loadExamples(): Example[] {
  const raw: { text: string; payload: boolean; author: string }[] = poisoningCorpus().map((item) => ({
    text: item.text,
    payload: item.payload,
    author: 'original',
  }));
  for (const [author, items] of corporaIn(DATA)) for (const { text, payload } of items) raw.push({ text, payload, author });
  const seen = new Set<string>();
  return raw
    .filter((item) => !seen.has(item.text) && seen.add(item.text))
    .map((item) => ({ ...item, features: featuresOf(item.text), rules: scanRules(item.text) }));
}

/** Logistic regression, AdaGrad, L2, the two classes weighted to count equally. */
function train(examples: readonly Example[]): { w: Float64Array; bias: number } {
  const size = 1 << FEATURE_BITS;
  const w = new Float64Array(size);
  const g2 = new Float64Array(size).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const payloads = examples.filter((e) => e.payload).length;
  const weightOf = (e: Example) => examples.length / (2 * (e.payload ? payloads : examples.length - payloads));
  const order = examples.map((_, i) => i);
  const random = new SeededRandom(SEED);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1)) % (i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    for (const k of order) {
      const e = examples[k]!;
      const { index, value } = e.features;
      let z = bias;
      for (let i = 0; i < index.length; i++) z += w[index[i]!]! * value[i]!;
      const error = (1 / (1 + Math.exp(-z)) - (e.payload ? 1 : 0)) * weightOf(e);
      for (let i = 0; i < index.length; i++) {
        const at = index[i]!;
        const grad = error * value[i]! + L2 * w[at]!;
        g2[at]! += grad * grad;
        w[at]! -= (0.5 * grad) / Math.sqrt(g2[at]!);
      }
      biasG2 += error * error;
      bias -= (0.5 * error) / Math.sqrt(biasG2);
    }
  }
  return { w, bias };
}

function quantise({ w, bias }: { w: Float64Array; bias: number }, threshold: number): ClassifierModel {
  const max = w.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const scale = max / 127;
  const bytes = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) bytes[i] = Math.round(w[i]! / scale);
  return { bits: FEATURE_BITS, bias, scale, threshold, weights: encodeBase64(new Uint8Array(bytes.buffer)) };
}

/** Scores of every example by models trained without it, the examples split by `groupOf`. */
function heldOutScores(examples: readonly Example[], groupOf: (e: Example) => string): Map<Example, number> {
  const scores = new Map<Example, number>();
  for (const group of new Set(examples.map(groupOf))) {
    const model = quantise(train(examples.filter((e) => groupOf(e) !== group)), 0.5);
    for (const e of examples.filter((x) => groupOf(x) === group)) scores.set(e, injectionScore(e.text, model));
  }
  return scores;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

const examples = loadExamples();
const authors = [...new Set(examples.map((e) => e.author))];
const pooled = heldOutScores(examples, (e) => String(fnv1a(e.text) % 5));
const byAuthor = heldOutScores(examples, (e) => e.author);
const flagged = (scores: Map<Example, number>, t: number) => (e: Example) => e.rules || scores.get(e)! >= t;

const notes = examples.filter((e) => !e.payload && !NOT_NOTES.includes(e.author));
let threshold = 0.99;
for (let t = 0.99; t >= 0.05; t -= 0.01) {
  if (notes.filter(flagged(pooled, t)).length / notes.length > MAX_NOTES_FLAGGED) break;
  threshold = Number(t.toFixed(2));
}
console.log(`threshold ${threshold}: personal notes flagged <= ${pct(MAX_NOTES_FLAGGED)} in the pooled folds\n`);

for (const [name, scores] of [
  ['pooled folds', pooled],
  ['one author left out', byAuthor],
] as const) {
  console.log(`| ${name} | payloads | rules | rules or model | benign | rules | rules or model |`);
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const author of [...authors, 'all']) {
    const mine = examples.filter((e) => author === 'all' || e.author === author);
    const cells = (items: Example[]) => {
      const share = (f: (e: Example) => boolean) => pct(items.filter(f).length / Math.max(1, items.length));
      return `${items.length} | ${share((e) => e.rules)} | ${share(flagged(scores, threshold))}`;
    };
    console.log(`| ${author} | ${cells(mine.filter((e) => e.payload))} | ${cells(mine.filter((e) => !e.payload))} |`);
  }
  console.log('');
}

if (values.write) {
  const model = quantise(train(examples), threshold);
  const counts = authors.map((a) => {
    const mine = examples.filter((e) => e.author === a);
    return `${a} ${mine.filter((e) => e.payload).length} payloads and ${mine.filter((e) => !e.payload).length} benign`;
  });
  writeFileSync(
    WEIGHTS,
    `// Generated by bench/poisoning/train.ts --write; do not edit.\n// Trained on ${counts.join(', ')}.\n\n` +
      `import type { ClassifierModel } from './model.js';\n\n` +
      `export const CLASSIFIER: ClassifierModel = ${JSON.stringify(model, null, 2)};\n`,
  );
  console.log(`wrote ${WEIGHTS.pathname}`);
}
