// The poisoning corpus: payloads (with obfuscated variants) and benign notes, each in one of two halves.
// The detector is tuned on the `tune` half only; the `holdout` half shows how it does on texts it was not
// tuned on. A variant stays in its original's half, so no payload is seen twice across halves.

import { BENIGN_NOTES } from './benign.js';
import { DIRECT_PAYLOADS, EXTRA_TUNING_PAYLOADS, INDIRECT_PAYLOADS, MULTILINGUAL_PAYLOADS } from './payloads.js';
import { OBFUSCATIONS, obfuscate } from './variants.js';

export type Split = 'tune' | 'holdout';

export interface CorpusItem {
  text: string;
  payload: boolean;
  /** direct, indirect, a language code, or the obfuscation of a variant. */
  family: string;
  split: Split;
}

/** FNV-1a of the text: a fixed, content-based half for every item. */
function splitOf(text: string): Split {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash % 2 === 0 ? 'tune' : 'holdout';
}

export function poisoningCorpus(): CorpusItem[] {
  const items: CorpusItem[] = [];
  const payload = (text: string, family: string, split = splitOf(text)) => items.push({ text, payload: true, family, split });
  for (const text of DIRECT_PAYLOADS) payload(text, 'direct');
  for (const text of INDIRECT_PAYLOADS) payload(text, 'indirect');
  for (const [lang, text] of MULTILINGUAL_PAYLOADS) payload(text, lang);
  for (const text of EXTRA_TUNING_PAYLOADS) payload(text, 'extra', 'tune');
  // Every second direct payload again, obfuscated, each kind in turn.
  DIRECT_PAYLOADS.forEach((text, i) => {
    if (i % 2 === 1) return;
    const how = OBFUSCATIONS[(i / 2) % OBFUSCATIONS.length]!;
    payload(obfuscate(text, how, i), how, splitOf(text));
  });
  for (const text of BENIGN_NOTES) items.push({ text, payload: false, family: 'benign', split: splitOf(text) });
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
