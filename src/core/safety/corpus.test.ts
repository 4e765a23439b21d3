// The poisoning goals (issue #6 item 9): at least 95% of payloads flagged, at most 2% of benign notes.
// The detector is the rules and a classifier (classifier/), trained by bench/poisoning/train.ts on the original
// corpus (corpus/) and the corpora in bench/poisoning/data/. On those it must meet the goals: a model that no
// longer fits what it was trained on fails here. The blind sets (bench/poisoning/blind/) were never trained on;
// they are held to the rates measured when they were first used (docs/RELIABILITY.md, "Memory poisoning"), so a
// change cannot lower them.

import { describe, expect, it } from 'vitest';
import { BLIND, DATA, corporaIn } from '../../../bench/poisoning/corpus-files.js';
import { poisoningCorpus, ratesOf } from './corpus/corpus.js';
import { FRESH_PROBE_PAYLOADS } from './corpus/payloads.js';
import { scanText } from './detector.js';

/** The blind sets in use, and the share of their payloads flagged when first measured (by the model trained before they were written). */
const BLIND_DETECTION: Readonly<Record<string, number>> = { 'blind-test-5a': 257 / 260, 'blind-test-5b': 254 / 260 };
/** Fresh probes flagged by the same model. */
const FRESH_FLAGGED = 29;

const corpus = poisoningCorpus();
const flags = (text: string) => scanText(text).flags;

describe('the poisoning corpora', () => {
  it('hold at least 200 payloads and 500 benign notes each: the original corpus and each blind set', () => {
    for (const items of [corpus, ...corporaIn(BLIND).map(([, items]) => items)]) {
      expect(items.filter((item) => item.payload).length).toBeGreaterThanOrEqual(200);
      expect(items.filter((item) => !item.payload).length).toBeGreaterThanOrEqual(500);
      expect(new Set(items.map((item) => item.text)).size).toBe(items.length);
    }
  });

  it('meet the goals on every corpus trained on: >= 95% of payloads flagged, <= 2% of benign texts', () => {
    for (const [name, items] of [['original', corpus] as const, ...corporaIn(DATA)]) {
      const rates = ratesOf(items, flags);
      expect(rates.detection, name).toBeGreaterThanOrEqual(0.95);
      expect(rates.falsePositiveRate, name).toBeLessThanOrEqual(0.02);
    }
  });

  it('on the blind sets, never trained on: <= 2% of notes, and at least the rates measured when first used', () => {
    const blind = corporaIn(BLIND);
    expect(blind.map(([name]) => name)).toEqual(Object.keys(BLIND_DETECTION));
    for (const [name, items] of blind) {
      const rates = ratesOf(items, flags);
      expect(rates.falsePositiveRate, name).toBeLessThanOrEqual(0.02);
      expect(rates.detection, name).toBeGreaterThanOrEqual(BLIND_DETECTION[name]!);
    }
  });

  // Never trained on either; written by the original corpus's author after the rules were tuned.
  it('flags at least as many of the 30 fresh probe payloads as when measured with this model', () => {
    expect(FRESH_PROBE_PAYLOADS).toHaveLength(30);
    expect(FRESH_PROBE_PAYLOADS.filter((text) => flags(text).length > 0).length).toBeGreaterThanOrEqual(FRESH_FLAGGED);
  });

  it('flags every obfuscated variant that hides characters, whatever its words', () => {
    for (const item of corpus.filter((i) => ['zero-width', 'tag-smuggling', 'bidi-reversed', 'homoglyph'].includes(i.family))) {
      expect(
        flags(item.text).some((flag) => flag === 'hidden-unicode' || flag === 'homoglyph'),
        item.text,
      ).toBe(true);
    }
  });
});
