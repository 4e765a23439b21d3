// The poisoning detector (rules and classifier) on its corpora: detection and false-positive rates on the
// original corpus, the classifier's training corpora (bench/poisoning/data/, blind-1 among them since it was
// used), the 30 fresh probes, and the blind test set (bench/poisoning/blind/: trained on by nothing, written by
// an author who saw neither the detector nor the other corpora); per payload family, what the original corpus
// misses, and how long a scan takes (remember() scans every text it stores).
//
//   npx tsx bench/poisoning/poisoning.ts [--misses]

import { performance } from 'node:perf_hooks';
import { BLIND, DATA, corporaIn } from './corpus-files.js';
import { parseArgs } from 'node:util';
import { poisoningCorpus, ratesOf, type CorpusItem } from '../../src/core/safety/corpus/corpus.js';
import { scanText } from '../../src/core/safety/detector.js';
import { FRESH_PROBE_PAYLOADS } from '../../src/core/safety/corpus/payloads.js';

const { values } = parseArgs({ options: { misses: { type: 'boolean', default: false } } });
const corpus = poisoningCorpus();
const flags = (text: string) => scanText(text).flags;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function row(name: string, items: readonly CorpusItem[]): string {
  const r = ratesOf(items, flags);
  return `| ${name} | ${r.flagged}/${r.payloads} (${pct(r.detection)}) | ${r.falsePositives}/${r.benign} (${pct(r.falsePositiveRate)}) |`;
}

console.log('| corpus | payloads flagged | benign texts flagged |\n| --- | --- | --- |');
console.log(row('original corpus (trained on)', corpus));

for (const [name, items] of corporaIn(DATA)) console.log(row(`${name}.json (trained on)`, items));
// Each blind set measures the model trained before it was written; after that it joins the training data.
const blind = corporaIn(BLIND).flatMap(([name, items]) => {
  console.log(row(`**${name}.json (blind: never trained on)**`, items));
  return items;
});

const probed = FRESH_PROBE_PAYLOADS.filter((text) => flags(text).length > 0).length;
console.log(
  `| fresh probe (never tuned on) | ${probed}/${FRESH_PROBE_PAYLOADS.length} (${pct(probed / FRESH_PROBE_PAYLOADS.length)}) | |`,
);

const families = [...new Set(corpus.filter((i) => i.payload).map((i) => i.family))];
console.log('\n| family (original corpus) | flagged |\n| --- | --- |');
for (const family of families) {
  const all = corpus.filter((i) => i.payload && i.family === family);
  const count = (items: CorpusItem[]) => `${items.filter((i) => flags(i.text).length > 0).length}/${items.length}`;
  console.log(`| ${family} | ${count(all)} |`);
}

// Scan cost: every corpus text 20 times, and a 100,000-character text (the longest a record may hold).
const texts = corpus.map((i) => i.text);
for (const t of texts) scanText(t);
let start = performance.now();
for (let round = 0; round < 20; round++) for (const t of texts) scanText(t);
const perText = (performance.now() - start) / (20 * texts.length);
const long = 'I walked along the river and met an old friend, and we talked about the summer. '.repeat(1250).slice(0, 100_000);
start = performance.now();
for (let round = 0; round < 10; round++) scanText(long);
const perLong = (performance.now() - start) / 10;
console.log(
  `\nscan: ${(perText * 1000).toFixed(0)} µs per corpus text (mean of ${20 * texts.length}), ${perLong.toFixed(1)} ms for 100,000 characters`,
);

const blindFamilies = [...new Set(blind.filter((i) => i.payload).map((i) => i.family))];
console.log('\n| blind family | flagged |\n| --- | --- |');
for (const family of blindFamilies) {
  const all = blind.filter((i) => i.payload && i.family === family);
  console.log(`| ${family} | ${all.filter((i) => flags(i.text).length > 0).length}/${all.length} |`);
}

if (values.misses) {
  for (const item of corpus.filter((i) => i.payload && flags(i.text).length === 0))
    console.log('miss', item.family, JSON.stringify(item.text));
  for (const item of corpus.filter((i) => !i.payload && flags(i.text).length > 0))
    console.log('false positive', JSON.stringify(item.text), scanText(item.text).rules.join(','));
  for (const text of FRESH_PROBE_PAYLOADS.filter((t) => flags(t).length === 0)) console.log('miss fresh', JSON.stringify(text));
}
