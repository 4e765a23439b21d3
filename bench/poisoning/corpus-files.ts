// The poisoning corpora kept as JSON files (bench/poisoning/data/ for training, bench/poisoning/blind/ for the blind
// test), read as corpus items: for the trainer, the benchmark and the corpus test alike.

import { readFileSync, readdirSync } from 'node:fs';
import type { CorpusItem } from '../../src/core/safety/corpus/corpus.js';

interface CorpusFile {
  payloads: { text: string; family?: string }[];
  benign: { text: string }[];
}

export const DATA = new URL('./data/', import.meta.url);
export const BLIND = new URL('./blind/', import.meta.url);

/** Every corpus file in `folder`, by name (without ".json"), in name order. */
export function corporaIn(folder: URL): (readonly [name: string, items: CorpusItem[]])[] {
  return readdirSync(folder)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => {
      const file = JSON.parse(readFileSync(new URL(name, folder), 'utf8')) as CorpusFile;
      const items: CorpusItem[] = [
        ...file.payloads.map(({ text, family }) => ({ text, payload: true, family: family ?? 'payload' })),
        ...file.benign.map(({ text }) => ({ text, payload: false, family: 'benign' })),
      ];
      return [name.replace(/\.json$/, ''), items] as const;
    });
}
