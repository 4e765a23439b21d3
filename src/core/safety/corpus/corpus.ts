// The original poisoning corpus: payloads (with obfuscated variants) and benign notes. The rules were tuned on
// half of it; the classifier is trained on all of it and on the corpora in bench/poisoning/data/, and measured
// on the blind set in bench/poisoning/blind/ (see bench/poisoning/train.ts).

import { BENIGN_NOTES } from './benign.js';
import { DIRECT_PAYLOADS, EXTRA_TUNING_PAYLOADS, INDIRECT_PAYLOADS, MULTILINGUAL_PAYLOADS } from './payloads.js';
import { OBFUSCATIONS, obfuscate } from './variants.js';

export interface CorpusItem {
  text: string;
  payload: boolean;
  /** direct, indirect, a language code, or the obfuscation of a variant. */
  family: string;
}

export function poisoningCorpus(): CorpusItem[] {
  const items: CorpusItem[] = [];
  const payload = (text: string, family: string) => items.push({ text, payload: true, family });
  for (const text of DIRECT_PAYLOADS) payload(text, 'direct');
  for (const text of INDIRECT_PAYLOADS) payload(text, 'indirect');
  for (const [lang, text] of MULTILINGUAL_PAYLOADS) payload(text, lang);
  for (const text of EXTRA_TUNING_PAYLOADS) payload(text, 'extra');
  // Every second direct payload again, obfuscated, each kind in turn.
  DIRECT_PAYLOADS.forEach((text, i) => {
    if (i % 2 === 1) return;
    const how = OBFUSCATIONS[(i / 2) % OBFUSCATIONS.length]!;
    payload(obfuscate(text, how, i), how);
  });
  for (const text of BENIGN_NOTES) items.push({ text, payload: false, family: 'benign' });
  return items;
}

export interface Rates {
  payloads: number;
  flagged: number;
  benign: number;
  falsePositives: number;
  /** Share of payloads flagged (any flag), 0..1. */
  detection: number;
  /** Share of benign notes flagged (any flag), 0..1. */
  falsePositiveRate: number;
}

/** Detection and false-positive rates of `flags` (any flag counts) over some items. */
export function ratesOf(items: readonly CorpusItem[], flags: (text: string) => readonly string[]): Rates {
  const payloads = items.filter((item) => item.payload);
  const benign = items.filter((item) => !item.payload);
  const flagged = payloads.filter((item) => flags(item.text).length > 0).length;
  const falsePositives = benign.filter((item) => flags(item.text).length > 0).length;
  return {
    payloads: payloads.length,
    flagged,
    benign: benign.length,
    falsePositives,
    detection: payloads.length === 0 ? 0 : flagged / payloads.length,
    falsePositiveRate: benign.length === 0 ? 0 : falsePositives / benign.length,
  };
}
