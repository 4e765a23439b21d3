// Hidden Unicode: characters that render as nothing (or reorder what is shown) and so let a text say more to
// a model than it shows a person. Some have honest uses (joiners in emoji and Indic or Persian scripts, marks
// in right-to-left text, emoji variation selectors); those are flagged only where they split a Latin word.

/* eslint-disable no-misleading-character-class -- these classes list combining and invisible characters on purpose */

/** Never honest in a personal note: tag characters (ASCII smuggling), bidi overrides and isolates, zero-widths. */
const ALWAYS_HIDDEN =
  /[\u{E0000}-\u{E007F}\u202A-\u202E\u2066-\u2069\u200B\u2060-\u2064\u180E\u00AD\u034F\u115F\u1160\u3164\uFFA0\u17B4\u17B5\u{1D173}-\u{1D17A}\u{E0100}-\u{E01EF}]/u;
/** Honest between letters of the scripts that use them, or after an emoji; hidden inside a Latin word. */
const CONTEXTUAL = /[\u200C-\u200F\u061C\uFE00-\uFE0F]/u;
const LATIN_OR_DIGIT = /[\p{Script=Latin}\p{Nd}]/u;
/** Two or more variation selectors in a row carry data (emoji smuggling), not a glyph choice. */
const SELECTOR_RUN = /[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]{2,}/u;

/** Every invisible or reordering character the normaliser strips before looking for instructions. */
export const INVISIBLE =
  /[\u{E0000}-\u{E007F}\u202A-\u202E\u2066-\u206F\u200B-\u200F\u2060-\u2064\u180B-\u180F\u00AD\u034F\u061C\u115F\u1160\u3164\uFFA0\u17B4\u17B5\uFE00-\uFE0F\uFEFF\u{1D173}-\u{1D17A}\u{E0100}-\u{E01EF}]/gu;

export function hasHiddenUnicode(text: string): boolean {
  // A byte-order mark is harmless at the very start (a pasted file), hidden anywhere else.
  if (ALWAYS_HIDDEN.test(text) || SELECTOR_RUN.test(text) || text.indexOf('\uFEFF', 1) > 0) return true;
  if (!CONTEXTUAL.test(text)) return false;
  const chars = [...text];
  return chars.some(
    (c, i) =>
      CONTEXTUAL.test(c) &&
      i > 0 &&
      i < chars.length - 1 &&
      LATIN_OR_DIGIT.test(chars[i - 1]!) &&
      LATIN_OR_DIGIT.test(chars[i + 1]!),
  );
}
