// Homoglyphs: Cyrillic and Greek letters that look like Latin ones, mixed into a Latin word ("ignоre" with a
// Cyrillic о) so a keyword filter misses it while a model reads it fine. A word wholly in one script is
// left alone: Russian and Greek notes are not suspicious.

const LOOKALIKES: Readonly<Record<string, string>> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ї: 'i',
  ј: 'j',
  ѕ: 's',
  ԁ: 'd',
  ԛ: 'q',
  ԝ: 'w',
  һ: 'h',
  ӏ: 'l',
  ɡ: 'g',
  ɑ: 'a',
  ο: 'o',
  α: 'a',
  ε: 'e',
  ι: 'i',
  κ: 'k',
  ν: 'v',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ϲ: 'c',
  ϳ: 'j',
  ս: 'u',
  օ: 'o',
  ᴠ: 'v',
};
const WORD = /[\p{L}\p{M}]+/gu;
const LATIN = /\p{Script=Latin}/u;
const FOREIGN = /[\p{Script=Cyrillic}\p{Script=Greek}\p{Script=Armenian}]/u;

function isMixed(word: string): boolean {
  return LATIN.test(word) && FOREIGN.test(word);
}

export function hasHomoglyphs(text: string): boolean {
  for (const [word] of text.matchAll(WORD)) if (isMixed(word)) return true;
  return false;
}

/** Maps the lookalikes of mixed-script words to Latin, so the instruction rules see the word the model sees. */
export function foldHomoglyphs(text: string): string {
  return text.replace(WORD, (word) => (isMixed(word) ? [...word].map((c) => LOOKALIKES[c.toLowerCase()] ?? c).join('') : word));
}
