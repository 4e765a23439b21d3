// The features the injection classifier reads: hashed word unigrams and bigrams, letter quadruples, the first
// word of each sentence, letter pairs of scripts written without spaces, concepts (concepts.ts), and shapes of
// the text (a link, an address, a role label at a line start). Read from the normalised text (../normalise.ts),
// so obfuscation is undone first.

import { fnv1a } from '../../fnv1a.js';
import { readings, type Readings } from '../normalise.js';
import { conceptsOf } from './concepts.js';

/** Feature space: 2^16 hashed buckets, each with a sign so that collisions cancel rather than pile up. */
export const FEATURE_BITS = 16;
const MASK = (1 << FEATURE_BITS) - 1;

export interface Features {
  /** Bucket of each feature. */
  index: Int32Array;
  /** Its value: the hashed sign over the square root of the feature count (unit length). */
  value: Float32Array;
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[<>[\]{}|#:@/$]+/gu;
// Han, Hiragana, Katakana, Hangul, Thai: words are not separated by spaces, so they are read in letter pairs.
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;

const SHAPES: readonly (readonly [string, RegExp])[] = [
  ['shape:link', /https?:\/\/|www\.|\b[a-z0-9-]+\.(?:com|net|org|io|ru|xyz|site|top|info|biz|cc|me|ly|sh|app|dev|tk|cn|co)\b/],
  ['shape:address', /\S+@\S+\.[a-z]{2,}/],
  ['shape:role-label', /(?:^|\n)\s*[[<{(#*>-]*\s*(?:system|assistant|developer|admin|sys|user)\s*[\]>})]?\s*:/],
  ['shape:template', /<\|[a-z_]+\|>|\[\/?inst\]|<<\/?sys>>|\{\{[^}]*\}\}|\{[a-z_]+\}/],
  ['shape:snake-call', /\b[a-z]+(?:_[a-z]+)+\s*\(|"(?:name|tool|function)"\s*:/],
];

/** The form of a text the classifier reads: the normalised one, its leetspeak reading where it has one. */
export function classifierForm(text: string): string {
  return formOf(readings(text));
}

/** The same, from readings already made (the detector reads a text once for the rules and the classifier). */
export const formOf = ({ forms }: Readings): string => forms.at(-1)!;

/** The names of the features of a text, before hashing: what the classifier saw, for tests and explanations. */
export function featureNames(text: string): string[] {
  return featureNamesOfForm(classifierForm(text));
}

function featureNamesOfForm(form: string): string[] {
  const names = new Set<string>();
  const words: string[] = [];
  for (const token of form.match(WORD) ?? []) {
    if (UNSPACED.test(token)) {
      const chars = [...token];
      for (let i = 0; i < chars.length; i++) {
        names.add(`c:${chars[i]}`);
        if (i + 1 < chars.length) names.add(`c:${chars[i]}${chars[i + 1]}`);
      }
    }
    words.push(token);
  }
  // The first word of each sentence: an order starts with its verb.
  for (const sentence of form.split(/[.!?;:\n]+/)) {
    const first = sentence.match(WORD)?.[0];
    if (first !== undefined) names.add(`s:${first}`);
  }
  // Letter quadruples of each word: "recommending" shares most of its own with "recommend".
  for (const word of words) {
    const padded = ` ${word} `;
    for (let i = 0; i + 4 <= padded.length; i++) names.add(`g:${padded.slice(i, i + 4)}`);
  }
  let previous = '^';
  for (const word of words) {
    names.add(`w:${word}`);
    names.add(`b:${previous} ${word}`);
    previous = word;
  }
  for (const [name, pattern] of SHAPES) if (pattern.test(form)) names.add(name);
  const concepts = conceptsOf(form);
  concepts.forEach((a, i) => {
    names.add(`k:${a}`);
    for (const b of concepts.slice(i + 1)) names.add(`k:${a}+${b}`);
  });
  return [...names];
}

export function featuresOf(text: string): Features {
  return featuresOfForm(classifierForm(text));
}

/** The features of a form already read (`formOf`). */
export function featuresOfForm(form: string): Features {
  const names = featureNamesOfForm(form);
  const index = new Int32Array(names.length);
  const value = new Float32Array(names.length);
  const scale = 1 / Math.sqrt(Math.max(1, names.length));
  names.forEach((name, i) => {
    const hash = fnv1a(name);
    index[i] = hash & MASK;
    value[i] = (hash & 0x80000000) !== 0 ? -scale : scale;
  });
  return { index, value };
}
