import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenizer.js';

describe('tokenize', () => {
  it('lowercases, drops stop words and stems English words', () => {
    expect(tokenize('What does Ada drink in the mornings?')).toEqual(['ada', 'drink', 'morn']);
  });

  it('keeps possessives and contractions as their base word', () => {
    expect(tokenize("Ada's cat doesn't like rain")).toEqual(['ada', 'cat', 'doesnt', 'like', 'rain']);
  });

  it('lowercases other scripts without stemming them', () => {
    expect(tokenize('Straße ÉCOLE Москва 東京')).toEqual(['straße', 'école', 'москва', '東京']);
  });

  it('normalises compatibility forms (NFKC) so full-width text matches', () => {
    expect(tokenize('ＴＥＡ')).toEqual(tokenize('tea'));
  });

  it('keeps numbers and splits on punctuation', () => {
    expect(tokenize('Flight BA-2490 at 7:30, gate 12')).toEqual(['flight', 'ba', '2490', '7', '30', 'gate', '12']);
  });

  it('returns nothing for text without words', () => {
    expect(tokenize('  ...!? ')).toEqual([]);
  });
});
