// Text to index terms: Unicode-aware normalisation and lowercasing, a short stop list, Porter stemming.

import { stemmer } from 'stemmer';

// Letters and digits of any script; an apostrophe inside a word keeps the word whole ("don't").
const WORD = /[\p{L}\p{M}\p{N}]+(?:['\u2019][\p{L}\p{M}\p{N}]+)*/gu;
const LATIN_WORD = /^[a-z]+$/;
const MAX_TERM_LENGTH = 64;

// Function words that carry no topic. Kept short on purpose: "who", "when", "not" can matter.
const STOP_WORDS = new Set(
  (
    'a an and are as at be been but by can could did do does for from had has have how i if in into is it its ' +
    'me my of on or our so than that the their them then there these they this to was we were what which ' +
    'will with would you your'
  ).split(' '),
);

/** Lowercased, stemmed terms of a text, in order, stop words removed. */
export function tokenize(text: string): string[] {
  const terms: string[] = [];
  for (const match of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    const term = normaliseWord(match[0]);
    if (term !== undefined) terms.push(term);
  }
  return terms;
}

function normaliseWord(word: string): string | undefined {
  // "ada's" -> "ada", "don't" -> "dont": possessives and contractions index as their base.
  let w = word.replace(/['\u2019]s$/u, '').replace(/['\u2019]/gu, '');
  if (w.length === 0 || STOP_WORDS.has(w)) return undefined;
  if (w.length > MAX_TERM_LENGTH) w = w.slice(0, MAX_TERM_LENGTH);
  // Porter only knows English; other scripts index as lowercased words.
  return LATIN_WORD.test(w) ? stemmer(w) : w;
}
