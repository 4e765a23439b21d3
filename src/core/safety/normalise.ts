// The forms of a text the instruction rules read: obfuscation undone (compatibility forms, invisible
// characters, ASCII smuggled in tag characters, lookalike letters, letter spacing, leetspeak), lower case,
// Latin accents dropped, one space.

import { INVISIBLE } from './hidden-unicode.js';
import { foldHomoglyphs } from './homoglyphs.js';

// "i g n o r e", "i.g.n.o.r.e", "i-g-n-o-r-e": three or more single letters joined by separators.
// One separator throughout a run, so "i.g.n.o.r.e t.h.e" keeps its word break.
const SPACED = /(?<![\p{L}\p{N}])\p{L}([ .\-_*/|])\p{L}(?:\1\p{L})+(?![\p{L}\p{N}])/gu;
const LEET: Readonly<Record<string, string>> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};
const TOKEN = /[\p{L}0-9@$!]+/gu;
/** A token with letters and leet digits in it ("1gn0re", "pr3vious"); plain numbers and words are left alone. */
const isLeet = (token: string) => /\p{L}/u.test(token) && /[0-9@$]/.test(token);
// Tag characters U+E0020-E007E spell ASCII to a model while showing nothing: read them as the ASCII they spell.
const TAGS = /[\u{E0020}-\u{E007E}]/gu;
// The dot of "Dr." or "e.g." does not end a sentence; the rules' gaps stop at sentence ends.
const ABBREVIATION = /\b(dr|mr|mrs|ms|st|prof|mt|no|vs|etc|e\.g|i\.e|approx|dept)\./g;

export interface Readings {
  /** The normalised text, and a leetspeak reading when it holds leetspeak. */
  forms: string[];
  /** Letters and digits only, when the text spells words letter by letter (word breaks lost). */
  compact?: string;
}

export function readings(text: string): Readings {
  const untagged = text.replace(TAGS, (c) => String.fromCharCode(c.codePointAt(0)! - 0xe0000));
  const visible = untagged.normalize('NFKC').replace(INVISIBLE, '');
  const folded = foldHomoglyphs(visible).toLowerCase();
  // Accents of Latin letters only: Cyrillic й or Japanese dakuten carry meaning.
  const plain = folded
    .normalize('NFD')
    .replace(/(\p{Script=Latin})\p{M}+/gu, '$1')
    .normalize('NFC')
    .replace(ABBREVIATION, '$1')
    // Contractions and the Turkish dotless i, so one spelling of each phrase serves.
    .replace(/\byou're\b/g, 'you are')
    .replace(/\byou've\b/g, 'you have')
    .replace(/ı/g, 'i');
  let spaced = false;
  const unspaced = plain.replace(SPACED, (run) => {
    spaced ||= run.length >= 7;
    return run.replace(/[ .\-_*/|]/g, '');
  });
  const base = unspaced.replace(/[ \t\u00A0\u3000]+/g, ' ');
  const tokens = base.match(TOKEN) ?? [];
  // Among leetspeak, a bare number is leetspeak too ("15 n0w" is "is now").
  const leety = tokens.filter(isLeet).length >= 2;
  const forms = [base];
  if (leety)
    forms.push(base.replace(TOKEN, (t) => (isLeet(t) || /^\d{1,3}$/.test(t) ? [...t].map((c) => LEET[c] ?? c).join('') : t)));
  return spaced ? { forms, compact: plain.replace(/[^\p{L}\p{N}]+/gu, '') } : { forms };
}
