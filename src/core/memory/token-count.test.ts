// The token estimate behind context() and recent(): exact counts for a table of texts, and additivity over
// newline-joined lines, which the context builder relies on to report `tokens` as the sum of its parts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ESTIMATE_NAME, estimateTokens } from './token-count.js';

describe('estimateTokens', () => {
  const table: [string, number][] = [
    ['', 0],
    ['   \n\t  ', 0],
    ['a', 1],
    ['I', 1],
    ['word', 1],
    ['hello', 2],
    ['12345678', 2],
    ['123456789', 3],
    ['internationalization', 5],
    ['Hello, world!', 6],
    ['Ada lives in Lisbon', 6],
    ['## Known facts', 6],
    ['- Ada lives in Lisbon (since 2026-01-01)', 16],
    ['3.14', 3],
    ["don't", 3],
    ['e-mail', 3],
    ['a  b\n\nc', 3],
    ['!!!', 3],
    ['café', 1],
    ['cafe\u0301', 2],
    ['naïve señor', 4],
    ['Привет мир', 3],
    ['😀', 1],
    ['😀😀', 2],
    ['𝐀𝐁', 1],
    ['x²', 1],
    ['tab\there', 2],
    // Scripts written without spaces: one token per character, never a quarter of a sentence.
    ['日本語', 3],
    ['東京に住んでいます', 9],
    ['ひらがな', 4],
    ['カタカナ', 4],
    ['안녕하세요', 5],
    ['Ada 住在 Lisbon', 5],
    ['abc日本', 3],
  ];

  it.each(table)('%j counts %i tokens', (text, tokens) => {
    expect(estimateTokens(text)).toBe(tokens);
  });

  it('counts one token per Han, kana or Hangul character', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'日本語東京住んでいますカタ안녕하세요'), minLength: 1 }), (text) => {
        expect(estimateTokens(text)).toBe([...text].length);
      }),
      { numRuns: 100 },
    );
  });

  it('adds up over lines joined by a newline: count(a + "\\n" + b) = count(a) + count(b)', () => {
    const text = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc.string({ unit: 'binary' }),
      fc.string({ unit: fc.constantFrom('a', 'b', '1', ' ', '\n', '.', '-', '日', 'é', '\u0301', '😀', '\t') }),
    );
    fc.assert(
      fc.property(text, text, (a, b) => {
        expect(estimateTokens(`${a}\n${b}`)).toBe(estimateTokens(a) + estimateTokens(b));
      }),
      { numRuns: 500 },
    );
  });

  it('is at least 1 for any text with a visible character, and grows with repetition', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => s.trim().length > 0),
        (text) => {
          const once = estimateTokens(text);
          expect(once).toBeGreaterThanOrEqual(1);
          expect(estimateTokens(`${text} ${text}`)).toBe(2 * once);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('names itself', () => {
    expect(ESTIMATE_NAME).toMatch(/^mnemo-estimate-v\d+ /);
  });
});
