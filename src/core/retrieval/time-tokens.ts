// The tokens of a query for the date grammar (time-expressions.ts): words, numbers and punctuation, with offsets.

export interface Token {
  raw: string;
  lower: string;
  kind: 'word' | 'num' | 'punct';
  start: number;
  end: number;
}

export const TOKEN = /[A-Za-z]+|\d+|[^\sA-Za-z\d]/g;

export function dateTokens(query: string): Token[] {
  const tokens: Token[] = [];
  for (const m of query.matchAll(TOKEN)) {
    const raw = m[0];
    const start = m.index ?? 0;
    const first = raw.charCodeAt(0);
    const kind = first >= 48 && first <= 57 ? 'num' : /^[A-Za-z]/.test(raw) ? 'word' : 'punct';
    // A typographic apostrophe reads as a plain one.
    const lower = raw === '\u2019' ? "'" : raw.toLowerCase();
    tokens.push({ raw, lower, kind, start, end: start + raw.length });
  }
  return tokens;
}

export interface Ctx {
  tokens: Token[];
  /** Start of the reference day. */
  today: number;
}

export function word(c: Ctx, p: number): string | undefined {
  const t = c.tokens[p];
  return t?.kind === 'word' ? t.lower : undefined;
}

export function punct(c: Ctx, p: number): string | undefined {
  const t = c.tokens[p];
  return t?.kind === 'punct' ? t.lower : undefined;
}

/** Whether token p touches token p - 1, as in "7th" or "2023-07-07". */
export function adjacent(c: Ctx, p: number): boolean {
  const a = c.tokens[p - 1];
  const b = c.tokens[p];
  return a !== undefined && b !== undefined && a.end === b.start;
}

export function capitalised(c: Ctx, p: number): boolean {
  const first = c.tokens[p]?.raw.charCodeAt(0) ?? 0;
  return first >= 65 && first <= 90;
}
