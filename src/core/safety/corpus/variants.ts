// Obfuscated variants of payloads, made the way attackers hide an injection from a keyword filter or from the
// person reading: invisible characters, ASCII smuggled in tag characters, letter spacing, lookalike letters,
// leetspeak, full-width forms, reversed text under a bidi override, an HTML comment after an innocent note.

export const OBFUSCATIONS = [
  'zero-width',
  'tag-smuggling',
  'spaced',
  'homoglyph',
  'leet',
  'fullwidth',
  'bidi-reversed',
  'dotted',
  'html-comment',
  'mixed-case',
] as const;
export type Obfuscation = (typeof OBFUSCATIONS)[number];

/** Innocent notes an injection is hidden behind. */
const COVERS = ['Buy milk and eggs.', 'Lovely walk by the river today.', 'Meeting moved to 3pm.', 'Great pasta recipe!'];

const CYRILLIC: Readonly<Record<string, string>> = { a: 'а', e: 'е', o: 'о', c: 'с', p: 'р', x: 'х', y: 'у', i: 'і' };
const LEET: Readonly<Record<string, string>> = { a: '4', e: '3', i: '1', o: '0', s: '5', t: '7' };

const words = (text: string, each: (word: string, i: number) => string) => text.split(' ').map(each).join(' ');

export function obfuscate(text: string, how: Obfuscation, seed: number): string {
  const cover = COVERS[seed % COVERS.length]!;
  switch (how) {
    case 'zero-width':
      // A zero-width space after the second letter of every longer word.
      return words(text, (w) => (w.length > 4 ? `${w.slice(0, 2)}\u200B${w.slice(2)}` : w));
    case 'tag-smuggling':
      // Each ASCII character as its invisible tag twin (U+E0000 + code): the note shows, the payload does not.
      return `${cover} ${[...text].map((c) => (c.charCodeAt(0) < 0x7f ? String.fromCodePoint(0xe0000 + c.charCodeAt(0)) : c)).join('')}`;
    case 'spaced':
      return words(text, (w, i) => (i < 4 ? [...w].join(' ') : w));
    case 'homoglyph':
      return words(text, (w) => (w.length > 3 ? [...w].map((c, j) => (j % 2 === 1 ? (CYRILLIC[c] ?? c) : c)).join('') : w));
    case 'leet':
      return [...text].map((c) => LEET[c] ?? c).join('');
    case 'fullwidth':
      return [...text].map((c) => (c > ' ' && c <= '~' ? String.fromCharCode(c.charCodeAt(0) + 0xfee0) : c)).join('');
    case 'bidi-reversed':
      // Shown left to right as written, stored backwards: what a model reads is not what a person sees.
      return `${cover} \u202E${[...text].reverse().join('')}\u202C`;
    case 'dotted':
      return words(text, (w, i) => (i < 3 && w.length > 2 ? [...w].join('.') : w));
    case 'html-comment':
      return `${cover} <!-- ${text} -->`;
    case 'mixed-case':
      return [...text].map((c, j) => (j % 2 === 0 ? c.toUpperCase() : c.toLowerCase())).join('');
  }
}
