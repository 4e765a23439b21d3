// The poisoning detector on its corpus: detection and false-positive rates per half and overall, per payload
// family, what it misses, and how long a scan takes (remember() scans every text it stores).
//
//   npx tsx bench/poisoning/poisoning.ts [--misses]

import { performance } from 'node:perf_hooks';
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

console.log('| half | payloads flagged | benign notes flagged |\n| --- | --- | --- |');
console.log(
  row(
    'tune',
    corpus.filter((i) => i.split === 'tune'),
  ),
);
console.log(
  row(
    'holdout',
    corpus.filter((i) => i.split === 'holdout'),
  ),
);
console.log(row('whole', corpus));

const probed = FRESH_PROBE_PAYLOADS.filter((text) => flags(text).length > 0).length;
console.log(
  `| fresh probe (never tuned on) | ${probed}/${FRESH_PROBE_PAYLOADS.length} (${pct(probed / FRESH_PROBE_PAYLOADS.length)}) | |`,
);

const families = [...new Set(corpus.filter((i) => i.payload).map((i) => i.family))];
console.log('\n| family | flagged (holdout) | flagged (whole) |\n| --- | --- | --- |');
for (const family of families) {
  const all = corpus.filter((i) => i.payload && i.family === family);
  const held = all.filter((i) => i.split === 'holdout');
  const count = (items: CorpusItem[]) => `${items.filter((i) => flags(i.text).length > 0).length}/${items.length}`;
  console.log(`| ${family} | ${count(held)} | ${count(all)} |`);
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

if (values.misses) {
  for (const item of corpus.filter((i) => i.payload && flags(i.text).length === 0))
    console.log('miss', item.split, item.family, JSON.stringify(item.text));
  for (const item of corpus.filter((i) => !i.payload && flags(i.text).length > 0))
    console.log('false positive', item.split, JSON.stringify(item.text), scanText(item.text).rules.join(','));
}
