// The words of the date grammar (time-expressions.ts): months, weekdays, seasons, counts, units, ordinals.

export const MONTH_NAMES = 'january february march april may june july august september october november december'.split(' ');
export const MONTHS = new Map<string, number>([
  ...MONTH_NAMES.map((name, i): [string, number] => [name, i]),
  ...'jan feb mar apr may jun jul aug sep oct nov dec'.split(' ').map((abbr, i): [string, number] => [abbr, i]),
  ['sept', 8],
]);

export const WEEKDAYS = new Map<string, number>(
  'sunday monday tuesday wednesday thursday friday saturday'.split(' ').map((name, i) => [name, i]),
);

export type Season = 'spring' | 'summer' | 'autumn' | 'winter';
export const SEASONS = new Map<string, Season>([
  ['spring', 'spring'],
  ['summer', 'summer'],
  ['autumn', 'autumn'],
  ['fall', 'autumn'],
  ['winter', 'winter'],
]);
// First month of each season in the year it is named after; winter starts the December before.
export const SEASON_START: Record<Season, number> = { spring: 2, summer: 5, autumn: 8, winter: -1 };

// Words after which a lone month, weekday or year is a date: "in May", "since 2016", "on Friday".
export const CONTEXT = new Set('in during since before after on until till by from through throughout around circa'.split(' '));
export const YEAR_CONTEXT = new Set([...CONTEXT, 'of']);
export const SEASON_CONTEXT = new Set([...CONTEXT, 'for', 'over', 'of']);

export const COUNTS = new Map<string, number>([
  ['a', 1],
  ['an', 1],
  ...'one two three four five six seven eight nine ten eleven twelve'.split(' ').map((w, i): [string, number] => [w, i + 1]),
  ['couple', 2],
  ['few', 3],
  ['several', 4],
]);

export type Unit = 'day' | 'week' | 'fortnight' | 'weekend' | 'month' | 'year';
export const UNITS = new Map<string, Unit>();
for (const unit of ['day', 'week', 'fortnight', 'weekend', 'month', 'year'] as const) UNITS.set(unit, unit).set(`${unit}s`, unit);
// Half a unit of slack, in days, for counted offsets ("two weeks ago"); at least one day.
export const SLACK_DAYS: Record<Unit, number> = { day: 1, week: 3, fortnight: 7, weekend: 0, month: 15, year: 182 };

export const ORDINALS = new Map<string, number>([
  ['first', 1],
  ['second', 2],
  ['third', 3],
  ['fourth', 4],
  ['fifth', 5],
  ['last', -1],
]);

// Words that make "in 2000 people" a count, not a year.
export const COUNT_NOUNS = new Set('people men women children kids feet km kg'.split(' '));
export const NOT_PLURALS = new Set('was has does his is as this its us yes plus'.split(' '));
