import { describe, expect, it } from 'vitest';
import { tokenize } from './tokenizer.js';

describe('tokenize', () => {
  it('lowercases, drops stop words and stems English words', () => {
    expect(tokenize('What does Ada drink in the mornings?')).toEqual(['ada', 'drink', 'morn']);
  });

  it('drops every personal pronoun, so "her kids" asks for the kids, not for any "her"', () => {
    expect(tokenize('What does she do with her kids? He told himself, his own words')).toEqual(['kid', 'tell', 'own', 'word']);
    expect(tokenize('hers theirs ourselves yourself whom')).toEqual([]);
  });

  it('maps irregular past forms and plurals to their base, as suffix stripping cannot', () => {
    expect(tokenize('we went camping and bought tents')).toEqual(tokenize('we go camping and buy tents'));
    expect(tokenize('Ada made it, the children ran')).toEqual(tokenize('Ada make it, the child run'));
    // Forms that are also words of another sense keep that sense.
    expect(tokenize('a bit of English lit, the left wound')).toEqual(['bit', 'english', 'lit', 'left', 'wound']);
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
