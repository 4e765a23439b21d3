// Date windows named by a recall query ("in May 2023", "last week", "the day before 7 May 2023"), so recall can boost
// the memories whose event time falls inside them. All calendar arithmetic is in UTC.
//
// One linear regex splits the query into words, numbers and punctuation; a small hand-written grammar then tries every
// form it knows at each token and keeps the longest match. Each form looks ahead a bounded number of tokens and nesting
// ("two days after the day before ...") is capped, so the whole pass stays linear in the length of the query.
//
// Choices, where English is vague:
// - Weeks run Monday to Sunday; weekends are Saturday and Sunday; seasons are meteorological and northern
//   ("winter 2023" is December 2022 to February 2023).
// - "last week" and "the week before X" cover the previous calendar week and the days of X's week before X, as people
//   say "last week" of anything a few days back. "last month" and "last year" are the previous calendar unit.
// - "N units ago" and "N units before/after X" are centred on the day N units away with half a unit of slack on each
//   side, at least one day: "3 days ago" is 3 days, "2 weeks ago" 7 days, "a month ago" 31 days, "a year ago" 365.
//   "a couple" is 2, "a few" 3, "several" 4.
// - "recently" is the last 30 days; "early/mid/late" and "beginning/middle/end of" are calendar thirds (days 1-10,
//   11-20, 21-end of a month; January-April, May-August, September-December of a year).
// - A month or day without a year is the most recent one at or before the reference; "next" forms look ahead.
// - A bare month ("in May") needs a preposition before it, since "May" is also a verb and a name.
// - A relative expression in a query that also names a full date ("last Friday, on 23 January 2022") is resolved
//   against that date (the nearest one in the same sentence, the following one first) instead of `referenceTime`.

import { type Ctx, type Token, adjacent, capitalised, punct, dateTokens, word } from './time-tokens.js';
import {
  CONTEXT,
  COUNTS,
  COUNT_NOUNS,
  MONTHS,
  MONTH_NAMES,
  NOT_PLURALS,
  ORDINALS,
  SEASONS,
  SEASON_CONTEXT,
  SLACK_DAYS,
  UNITS,
  type Unit,
  WEEKDAYS,
  YEAR_CONTEXT,
} from './time-lexicon.js';
import {
  DAY,
  type Span,
  dateOf,
  daySpan,
  dayStart,
  mondayOf,
  monthSpan,
  partOf,
  parts,
  seasonSpan,
  seasonsAround,
  shift,
  span,
  utc,
  weekday,
  weekdayAfter,
  weekdayBefore,
  weekendAfter,
  weekendBefore,
  weekendFrom,
  weekendNear,
  yearSpan,
} from './time-calendar.js';

export interface TimeWindow {
  /** Epoch ms, inclusive. */
  from: number;
  /** Epoch ms, exclusive. */
  to: number;
  /** The words of the query that produced this window, as written. */
  text: string;
}

// "the day before the week after ..." nests; deeper nesting than this is not English and would cost time.
const MAX_NESTING = 2;

interface Match extends Span {
  /** Token index just after the match. */
  end: number;
  /** Whether the window depends on the reference time. */
  rel: boolean;
}

interface Found extends Match {
  start: number;
}

// ---- Matches ---------------------------------------------------------------------------------------------------

const match = (end: number, s: Span, rel: boolean): Match => ({ ...s, end, rel });

function valid(m: Match | undefined): m is Match {
  return m !== undefined && Number.isFinite(m.from) && Number.isFinite(m.to) && m.from < m.to;
}

/** The valid match consuming the most tokens; the first wins ties. */
function longest(...found: (Match | undefined)[]): Match | undefined {
  let best: Match | undefined;
  for (const m of found) if (valid(m) && (best === undefined || m.end > best.end)) best = m;
  return best;
}

/** What lets a lone month or year be read as a date here. */
interface Bare {
  month: boolean;
  year: boolean;
  /** A lone "may" is a month: anywhere, only when written "May", or never. */
  may: 'any' | 'capital' | 'never';
}

// Inside "early ...", "between ... and ..." or "the week before ..." the date is expected.
const NESTED: Bare = { month: true, year: true, may: 'capital' };

function bareAt(c: Ctx, p: number): Bare {
  const before = word(c, p - 1) ?? '';
  const context = CONTEXT.has(before);
  return { month: context, year: YEAR_CONTEXT.has(before), may: context ? 'any' : 'never' };
}

// ---- Dates: "7 July, 2023", "July 7", "May 2023", "in May", "in 2022", "2023-07-07" ------------------------------

interface PartialDate {
  y?: number;
  m?: number;
  d?: number;
  end: number;
}

function year4(c: Ctx, p: number): number | undefined {
  const t = c.tokens[p];
  return t?.kind === 'num' && t.raw.length === 4 ? Number(t.raw) : undefined;
}

/** A year standing alone: a plausible one, and not a count ("in 2000 steps"). */
function loneYear(c: Ctx, p: number): number | undefined {
  const y = year4(c, p);
  if (y === undefined || y < 1900 || y > 2099) return undefined;
  const next = c.tokens[p + 1];
  if (next?.kind === 'word' && !adjacent(c, p + 1)) {
    if (COUNT_NOUNS.has(next.lower)) return undefined;
    if (next.lower.length > 3 && next.lower.endsWith('s') && !NOT_PLURALS.has(next.lower)) return undefined;
  }
  return y;
}

/** "7", "7th", "21st": a day of the month. */
function dayNumber(c: Ctx, p: number): { d: number; end: number } | undefined {
  const t = c.tokens[p];
  if (t?.kind !== 'num' || t.raw.length > 2) return undefined;
  const d = Number(t.raw);
  if (d < 1 || d > 31) return undefined;
  const suffix = word(c, p + 1);
  const ordinal = (suffix === 'st' || suffix === 'nd' || suffix === 'rd' || suffix === 'th') && adjacent(c, p + 1);
  return { d, end: ordinal ? p + 2 : p + 1 };
}

function monthWord(c: Ctx, p: number): { m: number; may: boolean; end: number } | undefined {
  const w = word(c, p);
  const m = w === undefined ? undefined : MONTHS.get(w);
  if (m === undefined) return undefined;
  // "Dec." and "Sept." carry a full stop.
  const dotted = w !== MONTH_NAMES[m] && punct(c, p + 1) === '.' && adjacent(c, p + 1);
  return { m, may: w === 'may', end: dotted ? p + 2 : p + 1 };
}

/** A year after an optional comma or full stop: "July 7, 2023", "April.2023". */
function yearAfter(c: Ctx, p: number): { y: number; end: number } | undefined {
  const sep = punct(c, p);
  const q = sep === ',' || (sep === '.' && adjacent(c, p) && adjacent(c, p + 1)) ? p + 1 : p;
  const y = year4(c, q);
  return y === undefined ? undefined : { y, end: q + 1 };
}

/** "2023-07-07", "2023/07/07", "2023-07". */
function isoDate(c: Ctx, p: number, y: number): PartialDate | undefined {
  const sep = punct(c, p + 1);
  if ((sep !== '-' && sep !== '/') || !adjacent(c, p + 1) || !adjacent(c, p + 2)) return undefined;
  const mt = c.tokens[p + 2];
  if (mt?.kind !== 'num' || mt.raw.length > 2) return undefined;
  const m = Number(mt.raw) - 1;
  if (m < 0 || m > 11) return undefined;
  const dt = c.tokens[p + 4];
  if (punct(c, p + 3) === sep && adjacent(c, p + 3) && adjacent(c, p + 4) && dt?.kind === 'num' && dt.raw.length <= 2) {
    return { y, m, d: Number(dt.raw), end: p + 5 };
  }
  return { y, m, end: p + 3 };
}

/**
 * A date with any of its day, month and year missing. Outside a range a lone day means nothing; inside one
 * ("from 3 to 5 May") it takes its month from the other end.
 */
function parsePartial(c: Ctx, p: number, bare: Bare, range: boolean): PartialDate | undefined {
  const w = word(c, p);
  if (w !== undefined && WEEKDAYS.has(w)) {
    // "Friday, 7 July 2023": the weekday adds nothing.
    const inner = partialCore(c, punct(c, p + 1) === ',' ? p + 2 : p + 1, NESTED, false);
    return inner?.d !== undefined && inner.m !== undefined ? inner : undefined;
  }
  return partialCore(c, p, bare, range);
}

function partialCore(c: Ctx, p: number, bare: Bare, range: boolean): PartialDate | undefined {
  // Without a year, "may 5" is a month only when written "May" or after "in", "on" ...
  const mayOk = (q: number): boolean => bare.may === 'any' || capitalised(c, q);
  const day = dayNumber(c, p);
  if (day !== undefined) {
    const q = word(c, day.end) === 'of' ? day.end + 1 : day.end;
    const mon = monthWord(c, q);
    if (mon !== undefined) {
      const yr = yearAfter(c, mon.end);
      if (yr === undefined && mon.may && !mayOk(q)) return undefined;
      return { d: day.d, m: mon.m, y: yr?.y, end: yr?.end ?? mon.end };
    }
    if (!range) return undefined;
    const yr = yearAfter(c, day.end);
    return { d: day.d, y: yr?.y, end: yr?.end ?? day.end };
  }
  const y = year4(c, p);
  if (y !== undefined) {
    const iso = isoDate(c, p, y);
    if (iso !== undefined) return iso;
    return (bare.year || range) && loneYear(c, p) !== undefined ? { y, end: p + 1 } : undefined;
  }
  const mon = monthWord(c, p);
  if (mon === undefined) return undefined;
  const monthDay = dayNumber(c, mon.end);
  if (monthDay !== undefined) {
    const yr = yearAfter(c, monthDay.end);
    if (yr === undefined && mon.may && !mayOk(p)) return undefined;
    return { m: mon.m, d: monthDay.d, y: yr?.y, end: yr?.end ?? monthDay.end };
  }
  const yr = yearAfter(c, word(c, mon.end) === 'of' ? mon.end + 1 : mon.end);
  if (yr !== undefined) return { m: mon.m, y: yr.y, end: yr.end };
  // A lone month: only where a date is expected, and not "April's".
  const apostrophe = punct(c, mon.end) === "'";
  const allowed = mon.may ? bare.may === 'any' || (bare.may === 'capital' && capitalised(c, p)) : bare.month;
  return allowed && !apostrophe ? { m: mon.m, end: mon.end } : undefined;
}

/** A partial date as a window; a missing year is the most recent one that puts the date at or before today. */
function resolvePartial(c: Ctx, x: PartialDate): { s: Span; rel: boolean } | undefined {
  const { y, m, d } = x;
  if (m === undefined) return y !== undefined && d === undefined ? { s: yearSpan(y), rel: false } : undefined;
  if (d === undefined) {
    if (y !== undefined) return { s: monthSpan(y, m), rel: false };
    const [ty, tm] = parts(c.today);
    return { s: monthSpan(m > tm ? ty - 1 : ty, m), rel: true };
  }
  if (y !== undefined) {
    const t = dateOf(y, m, d);
    return t === undefined ? undefined : { s: daySpan(t), rel: false };
  }
  // A 29 February may be years back.
  const ty = parts(c.today)[0];
  for (let k = 0; k <= 8; k++) {
    const t = dateOf(ty - k, m, d);
    if (t !== undefined && t <= c.today) return { s: daySpan(t), rel: true };
  }
  return undefined;
}

function parseDate(c: Ctx, p: number, bare: Bare): Match | undefined {
  const x = parsePartial(c, p, bare, false);
  const r = x === undefined ? undefined : resolvePartial(c, x);
  return x === undefined || r === undefined ? undefined : match(x.end, r.s, r.rel);
}

/** "the year 2022". */
function parseTheYear(c: Ctx, p: number): Match | undefined {
  const q = word(c, p) === 'the' ? p + 1 : p;
  if (word(c, q) !== 'year') return undefined;
  const y = loneYear(c, q + 1);
  return y === undefined ? undefined : match(q + 2, yearSpan(y), false);
}

/** "summer 2022", "the summer of 2022", "in the summer", "during spring". */
function parseSeason(c: Ctx, p: number, bare: Bare): Match | undefined {
  const the = word(c, p) === 'the';
  const q = the ? p + 1 : p;
  const season = SEASONS.get(word(c, q) ?? '');
  if (season === undefined) return undefined;
  const yq = word(c, q + 1) === 'of' ? q + 2 : q + 1;
  const y = year4(c, yq);
  if (y !== undefined) return match(yq + 1, seasonSpan(season, y), false);
  if (!bare.month && !SEASON_CONTEXT.has(word(c, p - 1) ?? '')) return undefined;
  // The latest one that has begun.
  const started = seasonsAround(season, c.today).filter((s) => s.from <= c.today);
  const latest = started[started.length - 1];
  return latest === undefined ? undefined : match(q + 1, latest, true);
}

// Fixed-date holidays by their words; each is the day with a day of slack either side.
const HOLIDAYS: [string[], (y: number) => number][] = [
  [['christmas', 'eve'], (y) => utc(y, 11, 24)],
  [['christmas', 'day'], (y) => utc(y, 11, 25)],
  [['christmas'], (y) => utc(y, 11, 25)],
  [['new', 'year', "'", 's', 'eve'], (y) => utc(y, 11, 31)],
  [['new', 'years', 'eve'], (y) => utc(y, 11, 31)],
  [['new', 'year', "'", 's', 'day'], (y) => utc(y, 0, 1)],
  [['new', 'years', 'day'], (y) => utc(y, 0, 1)],
  [['new', 'year', "'", 's'], (y) => utc(y, 0, 1)],
  [['halloween'], (y) => utc(y, 9, 31)],
  [['valentine', "'", 's', 'day'], (y) => utc(y, 1, 14)],
  [['valentines', 'day'], (y) => utc(y, 1, 14)],
  [['independence', 'day'], (y) => utc(y, 6, 4)],
  // The fourth Thursday of November.
  [['thanksgiving'], (y) => utc(y, 10, 1 + ((4 - weekday(utc(y, 10, 1)) + 7) % 7) + 21)],
];

function parseHoliday(c: Ctx, p: number): Match | undefined {
  const entry = HOLIDAYS.find(([words]) => words.every((w, i) => c.tokens[p + i]?.lower === w));
  if (entry === undefined) return undefined;
  const [words, dayIn] = entry;
  const q = p + words.length;
  const yq = word(c, q) === 'of' ? q + 1 : q;
  const y = year4(c, yq);
  const around = (t: number): Span => span(t - DAY, t + 2 * DAY);
  if (y !== undefined) return match(yq + 1, around(dayIn(y)), false);
  const ty = parts(c.today)[0];
  const t = dayIn(ty) <= c.today ? dayIn(ty) : dayIn(ty - 1);
  return match(q, around(t), true);
}

function parsePeriod(c: Ctx, p: number, bare: Bare): Match | undefined {
  return longest(parseDate(c, p, bare), parseSeason(c, p, bare), parseTheYear(c, p), parseHoliday(c, p));
}

// ---- Ranges: "between Aug 11 and Aug 15 2023", "from 3 to 5 May 2023", "May 3-5, 2023" -------------------------

const DASHES = new Set(['-', '\u2013', '\u2014']);
const TO_WORDS = new Set(['to', 'until', 'till', 'through', 'thru', ...DASHES]);
const AND_WORDS = new Set(['and', '&']);

const order = (y: number, m = 0, d = 0): number => y * 10_000 + m * 100 + d;

function parseRange(c: Ctx, p: number): Match | undefined {
  const opener = word(c, p);
  const joiners = opener === 'between' ? AND_WORDS : opener === 'from' ? TO_WORDS : DASHES;
  const ap = opener === 'between' || opener === 'from' ? p + 1 : p;
  // "May 3-5" reads its month as any date does; after "between" or "from" a date is expected.
  const a = parsePartial(c, ap, joiners === DASHES ? bareAt(c, p) : NESTED, true);
  if (a === undefined || !joiners.has(c.tokens[a.end]?.lower ?? '')) return undefined;
  const b = parsePartial(c, a.end + 1, NESTED, true);
  if (b === undefined) return undefined;
  let { y: ay, m: am } = a;
  const { d: ad } = a;
  let { y: by, m: bm } = b;
  const { d: bd } = b;
  // "3-5 May" and "May 3-5" share the month.
  if (ad !== undefined && am === undefined) am = bm;
  if (bd !== undefined && bm === undefined) bm = am;
  if ((ad === undefined) !== (bd === undefined) || (am === undefined) !== (bm === undefined)) return undefined;
  if (am === undefined && (ad !== undefined || ay === undefined || by === undefined)) return undefined;
  let rel = false;
  if (ay === undefined && by === undefined) {
    const end = resolvePartial(c, { m: bm, d: bd, end: 0 });
    if (end === undefined) return undefined;
    by = parts(end.s.from)[0];
    rel = true;
  }
  // An end without a year takes the other's, stepping a year where the range would run backwards.
  if (ay === undefined) ay = by! - (order(by!, am, ad) > order(by!, bm, bd) ? 1 : 0);
  if (by === undefined) by = ay + (order(ay, am, ad) > order(ay, bm, bd) ? 1 : 0);
  const from = resolvePartial(c, { y: ay, m: am, d: ad, end: 0 });
  const to = resolvePartial(c, { y: by, m: bm, d: bd, end: 0 });
  if (from === undefined || to === undefined) return undefined;
  return match(b.end, span(from.s.from, to.s.to), rel);
}

// ---- Relative to the reference: "yesterday", "last week", "3 days ago", "recently" ------------------------------

function count(c: Ctx, p: number): { n: number; end: number } | undefined {
  const t = c.tokens[p];
  if (t === undefined) return undefined;
  if (t.kind === 'num') return t.raw.length <= 4 && Number(t.raw) > 0 ? { n: Number(t.raw), end: p + 1 } : undefined;
  // "a couple of", "a few", "several"
  const next = word(c, p + 1);
  if ((t.lower === 'a' || t.lower === 'an') && (next === 'couple' || next === 'few')) {
    const end = next === 'couple' && word(c, p + 2) === 'of' ? p + 3 : p + 2;
    return { n: COUNTS.get(next)!, end };
  }
  const n = COUNTS.get(t.lower);
  if (n === undefined) return undefined;
  return { n, end: t.lower === 'couple' && next === 'of' ? p + 2 : p + 1 };
}

function unitAt(c: Ctx, p: number): Unit | undefined {
  return UNITS.get(word(c, p) ?? '');
}

/** The day N units before or after `from`, with half a unit of slack each side; weekends are counted whole. */
function counted(from: Span, n: number, unit: Unit, sign: 1 | -1): Span {
  if (unit === 'weekend') {
    const first = sign < 0 ? weekendBefore(from.from) : weekendAfter(from.to);
    return weekendFrom(first.from + sign * (n - 1) * 7 * DAY);
  }
  // "two months before June 2023" is April 2023.
  if (from.grain !== 'day') return span(shift(from.from, sign * n, unit), shift(from.to, sign * n, unit), from.grain);
  const target = shift(from.from, sign * n, unit);
  const slack = SLACK_DAYS[unit] * DAY;
  return span(target - slack, target + DAY + slack);
}

/** "last week" and "the week before X": the calendar week before X's, and X's week up to X. */
const weekBefore = (t: number): Span => span(mondayOf(t) - 7 * DAY, dayStart(t));

function currentUnit(today: number, unit: 'week' | 'month' | 'year'): Span {
  const [y, m] = parts(today);
  if (unit === 'week') return span(mondayOf(today), mondayOf(today) + 7 * DAY, 'week');
  return unit === 'month' ? monthSpan(y, m) : yearSpan(y);
}

function nextUnit(s: Span, unit: 'week' | 'month' | 'year', n: number): Span {
  return span(shift(s.from, n, unit), shift(s.to, n, unit), s.grain);
}

/** "this/last/next/past/previous/coming" + week, month, year, weekend, a weekday, a month, a season. */
function parseDirected(c: Ctx, p: number): Match | undefined {
  const w = word(c, p);
  const dir =
    w === 'this' ? 0 : w === 'last' || w === 'previous' ? -1 : w === 'next' || w === 'coming' ? 1 : w === 'past' ? -2 : undefined;
  if (dir === undefined) return undefined;
  // "this past weekend" is the last one.
  const q = w === 'this' && word(c, p + 1) === 'past' ? p + 2 : p + 1;
  const d = q === p + 2 ? -1 : dir;
  const x = word(c, q) ?? '';
  const today = c.today;
  const at = (s: Span): Match => match(q + 1, s, true);
  if (x === 'week' || x === 'month' || x === 'year') {
    const current = currentUnit(today, x);
    // "past week" is the last seven days; "last week" the calendar one.
    if (d === -2) return at(span(shift(today, -1, x), today + DAY));
    if (d === -1) return at(x === 'week' ? weekBefore(today) : nextUnit(current, x, -1));
    return at(nextUnit(current, x, d));
  }
  if (x === 'weekend') {
    const day = weekday(today);
    if (d === 0) return at(day === 6 || day === 0 ? weekendNear(today) : weekendAfter(today));
    return at(d < 0 ? weekendBefore(today) : weekendAfter(today + DAY));
  }
  if (x === 'night' && d === -1) return at(span(today - DAY, today + DAY));
  if ((x === 'morning' || x === 'afternoon' || x === 'evening') && d === 0) return at(daySpan(today));
  const wd = WEEKDAYS.get(x);
  if (wd !== undefined) {
    if (d === 0) return at(daySpan(mondayOf(today) + ((wd + 6) % 7) * DAY));
    return at(d < 0 ? weekdayBefore(today, wd, false) : weekdayAfter(today + DAY, wd));
  }
  const mon = monthWord(c, q);
  // "this may help" is not a month.
  if (mon !== undefined && !(mon.may && !capitalised(c, q))) {
    const [ty, tm] = parts(today);
    const y = d === 0 ? ty : d < 0 ? (mon.m >= tm ? ty - 1 : ty) : mon.m > tm ? ty : ty + 1;
    return match(mon.end, monthSpan(y, mon.m), true);
  }
  const season = SEASONS.get(x);
  if (season !== undefined) {
    const around = seasonsAround(season, today);
    const distance = (s: Span): number => Math.max(0, s.from - today, today - s.to + 1);
    const pick =
      d === 0
        ? around.reduce((a, b) => (distance(b) < distance(a) ? b : a))
        : d < 0
          ? around.filter((s) => s.to <= today).pop()
          : around.find((s) => s.from > today);
    return pick === undefined ? undefined : at(pick);
  }
  return undefined;
}

/** "3 days ago", "a few weeks back", "two weeks from now", "in a month". */
function parseCounted(c: Ctx, p: number): Match | undefined {
  const future = word(c, p) === 'in';
  const n = count(c, future ? p + 1 : p);
  const unit = n === undefined ? undefined : unitAt(c, n.end);
  if (n === undefined || unit === undefined) return undefined;
  const q = n.end + 1;
  const today = daySpan(c.today);
  if (future) return match(q, counted(today, n.n, unit, 1), true);
  const after = word(c, q);
  if (after === 'ago' || after === 'back') return match(q + 1, counted(today, n.n, unit, -1), true);
  if (after === 'from' && word(c, q + 1) === 'now') return match(q + 2, counted(today, n.n, unit, 1), true);
  return undefined;
}

/** "the past week", "the last 3 days", "past two months": up to and including today. */
function parseRolling(c: Ctx, p: number): Match | undefined {
  const the = word(c, p) === 'the';
  const q = the ? p + 1 : p;
  const w = word(c, q);
  if (w !== 'past' && w !== 'last') return undefined;
  const n = count(c, q + 1);
  if (!the && n === undefined) return undefined;
  const uq = n?.end ?? q + 1;
  const unit = unitAt(c, uq);
  if (unit === undefined || unit === 'weekend') return undefined;
  return match(uq + 1, span(shift(c.today, -(n?.n ?? 1), unit), c.today + DAY), true);
}

function parseRelative(c: Ctx, p: number, bare: Bare): Match | undefined {
  const w = word(c, p);
  if (w === undefined) return parseCounted(c, p);
  const today = c.today;
  const at = (end: number, s: Span): Match => match(end, s, true);
  if (w === 'today' || w === 'tonight') return at(p + 1, daySpan(today));
  if (w === 'yesterday') return at(p + 1, daySpan(today - DAY));
  if (w === 'tomorrow') return at(p + 1, daySpan(today + DAY));
  if (w === 'recently' || w === 'lately' || w === 'recent') return at(p + 1, span(today - 30 * DAY, today + DAY));
  const next = word(c, p + 1);
  if (w === 'the' && next === 'other' && word(c, p + 2) === 'day') return at(p + 3, span(today - 7 * DAY, today));
  if ((w === 'earlier' || w === 'later') && next === 'this') {
    const unit = word(c, p + 2);
    if (unit !== 'week' && unit !== 'month' && unit !== 'year') return undefined;
    const current = currentUnit(today, unit);
    return at(p + 3, w === 'earlier' ? span(current.from, today + DAY) : span(today, current.to));
  }
  // "over the weekend", "on the weekend"
  if (w === 'the' && next === 'weekend' && SEASON_CONTEXT.has(word(c, p - 1) ?? '')) {
    const day = weekday(today);
    return at(p + 2, day === 6 || day === 0 ? weekendNear(today) : weekendBefore(today));
  }
  // "on Friday": the latest one, today included.
  const wd = WEEKDAYS.get(w);
  if (wd !== undefined && bare.month) return at(p + 1, weekdayBefore(today, wd, true));
  return longest(parseDirected(c, p), parseCounted(c, p), parseRolling(c, p));
}

// ---- Relative to another date: "the week before 9 June 2023", "two days after ...", "the weekend of ..." ---------

type Direction = 'before' | 'after' | 'of';

function direction(c: Ctx, p: number): { dir: Direction; end: number } | undefined {
  const w = word(c, p);
  if (w === 'before' || w === 'after' || w === 'of') return { dir: w, end: p + 1 };
  if (w === 'following') return { dir: 'after', end: p + 1 };
  if (w === 'prior' && word(c, p + 1) === 'to') return { dir: 'before', end: p + 2 };
  return undefined;
}

/** The unit, weekend or weekday right before, after, or around X. */
function adjacentTo(x: Span, unit: string, dir: Direction): Span | undefined {
  const wd = WEEKDAYS.get(unit);
  if (wd !== undefined) {
    if (dir === 'of') return undefined;
    return dir === 'before' ? weekdayBefore(x.from, wd, false) : weekdayAfter(x.to, wd);
  }
  const [y, m] = parts(x.from);
  const [ly, lm] = parts(x.to - 1);
  switch (unit) {
    case 'day':
      return dir === 'of' ? undefined : dir === 'before' ? daySpan(x.from - DAY) : daySpan(x.to);
    case 'week':
      if (dir === 'of') return x.grain === 'day' ? span(mondayOf(x.from), mondayOf(x.from) + 7 * DAY, 'week') : undefined;
      if (x.grain !== 'day') return dir === 'before' ? span(x.from - 7 * DAY, x.from) : span(x.to, x.to + 7 * DAY);
      return dir === 'before' ? weekBefore(x.from) : span(x.to, mondayOf(x.from) + 14 * DAY);
    case 'weekend':
      if (dir === 'of') return x.grain === 'day' ? weekendNear(x.from) : undefined;
      return dir === 'before' ? weekendBefore(x.from) : weekendAfter(x.to);
    case 'month':
      return dir === 'of' ? monthSpan(y, m) : dir === 'before' ? monthSpan(y, m - 1) : monthSpan(ly, lm + 1);
    case 'year':
      return dir === 'of' ? undefined : dir === 'before' ? yearSpan(y - 1) : yearSpan(ly + 1);
    default:
      return undefined;
  }
}

function parseAnchored(c: Ctx, p: number, depth: number): Match | undefined {
  if (depth >= MAX_NESTING) return undefined;
  const anchor = (q: number): Match | undefined => parsePoint(c, q, depth + 1, NESTED);
  // "two weeks before August 11, 2023"
  const n = count(c, p);
  const unit = n === undefined ? undefined : unitAt(c, n.end);
  if (n !== undefined && unit !== undefined) {
    const d = direction(c, n.end + 1);
    const x = d === undefined || d.dir === 'of' ? undefined : anchor(d.end);
    if (d !== undefined && x !== undefined) return match(x.end, counted(x, n.n, unit, d.dir === 'before' ? -1 : 1), x.rel);
  }
  // "the week before 9 June 2023", "last weekend before April 10", "the Sunday before 25 May 2023"
  const article = word(c, p);
  const q = article === 'the' || article === 'last' || article === 'that' ? p + 1 : p;
  const w = word(c, q);
  if (w === undefined || !(WEEKDAYS.has(w) || ['day', 'night', 'week', 'weekend', 'month', 'year'].includes(w))) return undefined;
  const d = direction(c, q + 1);
  if (d === undefined || (d.dir === 'of' && article === 'last')) return undefined;
  const x = anchor(d.end);
  const s = x === undefined ? undefined : adjacentTo(x, w === 'night' ? 'day' : w, d.dir);
  return x === undefined || s === undefined ? undefined : match(x.end, s, x.rel);
}

// ---- Parts of a period: "early May", "the end of 2022", "the second week of November", "first weekend of ..." ----

/** "first", "2nd", "last" (-1). */
function ordinalAt(c: Ctx, p: number): { n: number; end: number } | undefined {
  const o = ORDINALS.get(word(c, p) ?? '');
  if (o !== undefined) return { n: o, end: p + 1 };
  const d = dayNumber(c, p);
  return d !== undefined && d.end === p + 2 && d.d <= 5 ? { n: d.d, end: d.end } : undefined;
}

function parseModifier(c: Ctx, p: number, depth: number): Match | undefined {
  if (depth >= MAX_NESTING) return undefined;
  const w = word(c, p);
  // "early May 2023", "mid-June", "late 2022"
  const third = w === 'early' ? 0 : w === 'mid' ? 1 : w === 'late' ? 2 : undefined;
  if (third !== undefined) {
    const x = parsePoint(c, DASHES.has(punct(c, p + 1) ?? '') ? p + 2 : p + 1, depth + 1, NESTED);
    return x === undefined ? undefined : within(x, x.grain === 'day' ? undefined : partOf(x, third, 3));
  }
  const q = w === 'the' ? p + 1 : p;
  const head = word(c, q) ?? '';
  const ord = THIRDS.has(head) ? { n: THIRDS.get(head)!, end: q + 1 } : ordinalAt(c, q);
  if (ord === undefined) return undefined;
  const noun = THIRDS.has(head) ? 'third' : word(c, ord.end);
  const ofAt = THIRDS.has(head) ? ord.end : ord.end + 1;
  if (word(c, ofAt) !== 'of') return undefined;
  const x = parsePoint(c, ofAt + 1, depth + 1, NESTED);
  return x === undefined ? undefined : within(x, partNamed(x, noun, ord.n));
}

// "the beginning of November 2022", "the end of May": calendar thirds.
const THIRDS = new Map([
  ['beginning', 0],
  ['start', 0],
  ['middle', 1],
  ['end', 2],
]);

function within(x: Match, s: Span | undefined): Match | undefined {
  return s === undefined ? undefined : match(x.end, s, x.rel);
}

/** Part `n` of x named by `noun`: a third, a half, the first or last day, the nth week or weekend of a month. */
function partNamed(x: Span, noun: string | undefined, n: number): Span | undefined {
  if (noun === 'third') return x.grain === 'day' ? undefined : partOf(x, n, 3);
  // "the first half of September 2022"
  if (noun === 'half' && (n === 1 || n === 2 || n === -1)) return partOf(x, n === 1 ? 0 : 1, 2);
  if (noun === 'day' && (n === 1 || n === -1)) return daySpan(n === 1 ? x.from : x.to - DAY);
  if (x.grain !== 'month') return undefined;
  // "the second week of November": days 8-14; "the last week of September": its last seven days.
  if (noun === 'week') {
    const from = n === -1 ? x.to - 7 * DAY : x.from + (n - 1) * 7 * DAY;
    return from < x.to ? span(from, Math.min(x.to, from + 7 * DAY)) : undefined;
  }
  // "the first weekend of August 2023": the first to begin in the month; "the last weekend of ...": the last.
  if (noun === 'weekend' && n === 1) return weekendAfter(x.from);
  if (noun === 'weekend' && n === -1) return weekendFrom(weekdayBefore(x.to, 6, false).from);
  return undefined;
}

/** "around August 2022": the window widened by a quarter of its length, at least a day. */
function parseAround(c: Ctx, p: number): Match | undefined {
  const w = word(c, p);
  // Not "about": "blogging about recently", "about May" are topics.
  if (w !== 'around' && w !== 'approximately' && w !== 'roughly' && w !== 'circa') return undefined;
  const x = parsePoint(c, p + 1, 0, NESTED);
  if (x === undefined) return undefined;
  const pad = Math.max(1, Math.round((x.to - x.from) / DAY / 4)) * DAY;
  return match(x.end, span(x.from - pad, x.to + pad), x.rel);
}

function parsePoint(c: Ctx, p: number, depth: number, bare: Bare): Match | undefined {
  return longest(parsePeriod(c, p, bare), parseRelative(c, p, bare), parseModifier(c, p, depth), parseAnchored(c, p, depth));
}

function parseAt(c: Ctx, p: number): Match | undefined {
  return longest(parseRange(c, p), parsePoint(c, p, 0, bareAt(c, p)), parseAround(c, p));
}

// ---- Query ------------------------------------------------------------------------------------------------------

/** Sentence number of each token: "?", "!" and a full stop before a space end a sentence. */
function sentences(query: string, tokens: Token[]): number[] {
  let n = 0;
  return tokens.map((t) => {
    const id = n;
    if (t.raw === '?' || t.raw === '!' || (t.raw === '.' && /\s/.test(query[t.end] ?? ' '))) n++;
    return id;
  });
}

/** Re-resolves relative matches against the nearest full date of their sentence, the following one first. */
function anchorRelative(c: Ctx, found: Found[], sentence: number[]): void {
  const anchors = found.filter((f) => !f.rel && f.to - f.from === DAY);
  let j = 0;
  for (const f of found) {
    if (!f.rel) continue;
    while (j < anchors.length && anchors[j]!.start < f.start) j++;
    const same = (a: Found | undefined): a is Found => a !== undefined && sentence[a.start] === sentence[f.start];
    const next = anchors[j];
    const prev = anchors[j - 1];
    const anchor = same(next) ? next : same(prev) ? prev : undefined;
    if (anchor === undefined) continue;
    const again = parseAt({ ...c, today: anchor.from }, f.start);
    if (again !== undefined && again.end === f.end) Object.assign(f, { from: again.from, to: again.to });
  }
}

/** Every date window the query names, resolved against `referenceTime` (epoch ms); all calendar arithmetic in UTC. */
export function parseTimeWindows(query: string, referenceTime: number): TimeWindow[] {
  const tokens = dateTokens(query);
  const c: Ctx = { tokens, today: dayStart(referenceTime) };
  const found: Found[] = [];
  for (let p = 0; p < tokens.length;) {
    const m = parseAt(c, p);
    if (m === undefined) {
      p++;
      continue;
    }
    found.push({ ...m, start: p });
    p = m.end;
  }
  anchorRelative(c, found, sentences(query, tokens));
  return found.map((f) => ({ from: f.from, to: f.to, text: query.slice(tokens[f.start]!.start, tokens[f.end - 1]!.end) }));
}
