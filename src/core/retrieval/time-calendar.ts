// UTC calendar arithmetic for the date grammar (time-expressions.ts): days, weeks, months, seasons, spans.

import { SEASON_START, type Season, type Unit } from './time-lexicon.js';

export const DAY = 86_400_000;

export type Grain = 'day' | 'week' | 'weekend' | 'month' | 'season' | 'year' | 'span';

export interface Span {
  from: number;
  to: number;
  grain: Grain;
}

/** Date.UTC without its 1900s mapping of years 0-99; months and days may overflow. */
export function utc(y: number, m: number, d = 1): number {
  const date = new Date(0);
  date.setUTCFullYear(y, m, d);
  return date.getTime();
}

export function dayStart(t: number): number {
  return Math.floor(t / DAY) * DAY;
}

export function parts(t: number): [number, number, number] {
  const d = new Date(t);
  return [d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()];
}

export function weekday(t: number): number {
  return new Date(t).getUTCDay();
}

export function daysInMonth(y: number, m: number): number {
  return new Date(utc(y, m + 1, 0)).getUTCDate();
}

export function mondayOf(t: number): number {
  const d = dayStart(t);
  return d - ((weekday(d) + 6) % 7) * DAY;
}

export function addMonths(t: number, n: number): number {
  const [y, m, d] = parts(t);
  return utc(y, m + n, Math.min(d, daysInMonth(y, m + n)));
}

export function shift(t: number, n: number, unit: Unit): number {
  if (unit === 'month') return addMonths(t, n);
  if (unit === 'year') return addMonths(t, 12 * n);
  const days = { day: 1, week: 7, fortnight: 14, weekend: 7 }[unit];
  return t + n * days * DAY;
}

export const span = (from: number, to: number, grain: Grain = 'span'): Span => ({ from, to, grain });
export const daySpan = (t: number): Span => span(t, t + DAY, 'day');
export const monthSpan = (y: number, m: number): Span => span(utc(y, m), utc(y, m + 1), 'month');
export const yearSpan = (y: number): Span => span(utc(y, 0), utc(y + 1, 0), 'year');
export const weekendFrom = (saturday: number): Span => span(saturday, saturday + 2 * DAY, 'weekend');

export function seasonSpan(season: Season, y: number): Span {
  const m = SEASON_START[season];
  return span(utc(y, m), utc(y, m + 3), 'season');
}

/** The seasons of that name around `t`, oldest first. */
export function seasonsAround(season: Season, t: number): Span[] {
  const y = parts(t)[0];
  return [y - 1, y, y + 1, y + 2].map((year) => seasonSpan(season, year));
}

export function dateOf(y: number, m: number, d: number): number | undefined {
  return d >= 1 && d <= daysInMonth(y, m) ? utc(y, m, d) : undefined;
}

/** Latest weekend over by `t`. */
export function weekendBefore(t: number): Span {
  const x = dayStart(t) - 2 * DAY;
  return weekendFrom(x - ((weekday(x) + 1) % 7) * DAY);
}

/** First weekend starting at or after `t`. */
export function weekendAfter(t: number): Span {
  const x = dayStart(t);
  return weekendFrom(x + ((6 - weekday(x) + 7) % 7) * DAY);
}

/** The weekend whose Saturday is nearest `t`: a Friday's is the next one, a Monday's the last. */
export function weekendNear(t: number): Span {
  const x = dayStart(t);
  return weekendFrom(x + [-1, -2, -3, 3, 2, 1, 0][weekday(x)]! * DAY);
}

/** Latest day with weekday `w` before `t` (or at it, when `inclusive`). */
export function weekdayBefore(t: number, w: number, inclusive: boolean): Span {
  const x = dayStart(t) - (inclusive ? 0 : DAY);
  return daySpan(x - ((weekday(x) - w + 7) % 7) * DAY);
}

export function weekdayAfter(t: number, w: number): Span {
  const x = dayStart(t);
  return daySpan(x + ((w - weekday(x) + 7) % 7) * DAY);
}

/** Calendar cuts splitting a span into halves or thirds. */
export function cuts(s: Span, n: 2 | 3): number[] | undefined {
  const [y, m] = parts(s.from);
  if (s.grain === 'month') return n === 3 ? [utc(y, m, 11), utc(y, m, 21)] : [utc(y, m, 16)];
  if (s.grain === 'year') return n === 3 ? [utc(y, 4), utc(y, 8)] : [utc(y, 6)];
  if (s.grain === 'season' && n === 3) return [utc(y, m + 1), utc(y, m + 2)];
  const days = Math.round((s.to - s.from) / DAY / n);
  if (days < 1) return undefined;
  return n === 3 ? [s.from + days * DAY, s.to - days * DAY] : [s.from + days * DAY];
}

/** Part k (0-based) of a span cut in n. */
export function partOf(s: Span, k: number, n: 2 | 3): Span | undefined {
  const c = cuts(s, n);
  if (c === undefined) return undefined;
  const bounds = [s.from, ...c, s.to];
  return span(bounds[k]!, bounds[k + 1]!);
}
