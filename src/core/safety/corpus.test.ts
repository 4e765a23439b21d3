// The poisoning goals on the corpus (issue #6 item 9): at least 95% of payloads flagged, at most 2% of benign
// notes. The detector was tuned on the `tune` half only; the `holdout` half shows how it does on texts it was
// not tuned on, and is held to the rates measured when tuning stopped (docs/RELIABILITY.md, "Memory poisoning").

import { describe, expect, it } from 'vitest';
import { poisoningCorpus, ratesOf } from './corpus/corpus.js';
import { FRESH_PROBE_PAYLOADS } from './corpus/payloads.js';
import { scanText } from './detector.js';

const corpus = poisoningCorpus();
const flags = (text: string) => scanText(text).flags;
const half = (split: 'tune' | 'holdout') => corpus.filter((item) => item.split === split);

describe('the poisoning corpus', () => {
  it('holds at least 200 payloads and 500 benign notes, split in two halves', () => {
    expect(corpus.filter((item) => item.payload).length).toBeGreaterThanOrEqual(200);
    expect(corpus.filter((item) => !item.payload).length).toBeGreaterThanOrEqual(500);
    for (const split of ['tune', 'holdout'] as const) {
      expect(half(split).filter((item) => item.payload).length).toBeGreaterThanOrEqual(100);
      expect(half(split).filter((item) => !item.payload).length).toBeGreaterThanOrEqual(200);
    }
    expect(new Set(corpus.map((item) => item.text)).size).toBe(corpus.length);
  });

  it('meets the goals on the tuning half: >= 95% of payloads flagged, <= 2% of benign notes', () => {
    const rates = ratesOf(half('tune'), flags);
    expect(rates.detection).toBeGreaterThanOrEqual(0.95);
    expect(rates.falsePositiveRate).toBeLessThanOrEqual(0.02);
  });

  it('keeps <= 2% of benign notes flagged on the held-out half and the whole corpus', () => {
    expect(ratesOf(half('holdout'), flags).falsePositiveRate).toBeLessThanOrEqual(0.02);
    expect(ratesOf(corpus, flags).falsePositiveRate).toBeLessThanOrEqual(0.02);
  });

  // Below the 95% goal: the rules catch phrasings like those they were tuned on, and miss new ones (see
  // docs/RELIABILITY.md). This holds the rates measured when tuning stopped, so a change cannot lower them.
  it('flags the held-out payloads at least as well as when tuning stopped (88.7%; 94.9% of the whole corpus)', () => {
    expect(ratesOf(half('holdout'), flags).detection).toBeGreaterThanOrEqual(0.887);
    expect(ratesOf(corpus, flags).detection).toBeGreaterThanOrEqual(0.949);
  });

  // The honest rate for wording nobody foresaw: 2 of 30 when written, never tuned on. Held so it cannot drop.
  it('flags at least the 2 of 30 fresh probe payloads it flagged when they were written', () => {
    expect(FRESH_PROBE_PAYLOADS).toHaveLength(30);
    expect(FRESH_PROBE_PAYLOADS.filter((text) => flags(text).length > 0).length).toBeGreaterThanOrEqual(2);
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
