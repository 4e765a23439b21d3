// Token counts for the context budget. Without the embedding model's tokenizer, a documented estimate that
// errs high: every run of letters or digits counts one token per 4 characters (at least one), every other
// visible character one token. English prose averages about 4 characters per BPE or WordPiece token, so
// the estimate is near the true count for prose and above it for code, numbers and punctuation. Han, kana
// and Hangul count one token per character: a run of them can be a whole sentence, and BPE tokenizers
// spend a token or more on each.

export type TokenCounter = (text: string) => number;

export const ESTIMATE_NAME = 'mnemo-estimate-v2 (4 chars per word piece, 1 per symbol or CJK character)';

const CJK = String.raw`\p{sc=Han}\p{sc=Hiragana}\p{sc=Katakana}\p{sc=Hangul}`;
const PIECE = new RegExp(String.raw`[${CJK}]|(?:(?![${CJK}])[\p{L}\p{M}\p{N}])+|[^\s\p{L}\p{M}\p{N}]`, 'gu');

export function estimateTokens(text: string): number {
  let tokens = 0;
  for (const match of text.matchAll(PIECE)) {
    const piece = match[0];
    tokens += piece.length === 1 ? 1 : Math.ceil(piece.length / 4);
  }
  return tokens;
}
