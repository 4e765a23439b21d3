import { describe, expect, it } from 'vitest';
import { parseTimeWindows } from './time-expressions.js';

// Thursday 15 June 2023, noon UTC.
const REF = Date.UTC(2023, 5, 15, 12);

/** [from, to, text], dates as YYYY-MM-DD at midnight UTC. */
type Expected = [from: string, to: string, text: string];

const iso = (date: string): string => `${date}T00:00:00.000Z`;

function windows(query: string, ref = REF): Expected[] {
  return parseTimeWindows(query, ref).map((w) => [new Date(w.from).toISOString(), new Date(w.to).toISOString(), w.text]);
}

function expectWindows(query: string, expected: Expected[], ref = REF): void {
  expect(windows(query, ref), query).toEqual(expected.map(([from, to, text]) => [iso(from), iso(to), text]));
}

const ABSOLUTE: [string, Expected[]][] = [
  ['What did Caroline do in May 2023?', [['2023-05-01', '2023-06-01', 'May 2023']]],
  ['What happened on 7 July, 2023?', [['2023-07-07', '2023-07-08', '7 July, 2023']]],
  ['What happened on July 7, 2023?', [['2023-07-07', '2023-07-08', 'July 7, 2023']]],
  ['the 7th of July 2023', [['2023-07-07', '2023-07-08', '7th of July 2023']]],
  ['on 2023-07-07', [['2023-07-07', '2023-07-08', '2023-07-07']]],
  ['Where was she in May, 2023?', [['2023-05-01', '2023-06-01', 'May, 2023']]],
  ['April.2023', [['2023-04-01', '2023-05-01', 'April.2023']]],
  [
    'Sept 2022 and Dec. 2023',
    [
      ['2022-09-01', '2022-10-01', 'Sept 2022'],
      ['2023-12-01', '2024-01-01', 'Dec. 2023'],
    ],
  ],
  // A month without a year is the latest one at or before the reference month.
  ['What did Caroline do in May?', [['2023-05-01', '2023-06-01', 'May']]],
  ['When did Melanie go camping in July?', [['2022-07-01', '2022-08-01', 'July']]],
  ['since June', [['2023-06-01', '2023-07-01', 'June']]],
  // A day without a year is the latest one not after the reference day.
  ['What happened on July 7?', [['2022-07-07', '2022-07-08', 'July 7']]],
  ['on June 15', [['2023-06-15', '2023-06-16', 'June 15']]],
  ['they met on Aug 15th', [['2022-08-15', '2022-08-16', 'Aug 15th']]],
  ['on December 1,2023', [['2023-12-01', '2023-12-02', 'December 1,2023']]],
  ['8th December, 2023', [['2023-12-08', '2023-12-09', '8th December, 2023']]],
  ['What state did Joanna visit in summer 2022?', [['2022-06-01', '2022-09-01', 'summer 2022']]],
  ['the summer of 2021', [['2021-06-01', '2021-09-01', 'the summer of 2021']]],
  ['winter 2023', [['2022-12-01', '2023-03-01', 'winter 2023']]],
  ['What did she plant in spring?', [['2023-03-01', '2023-06-01', 'spring']]],
  ['How many times has Melanie gone to the beach in 2022?', [['2022-01-01', '2023-01-01', '2022']]],
  ['Since 2016', [['2016-01-01', '2017-01-01', '2016']]],
  ['the year 2020', [['2020-01-01', '2021-01-01', 'the year 2020']]],
  ['early May 2023', [['2023-05-01', '2023-05-11', 'early May 2023']]],
  ['late 2022', [['2022-09-01', '2023-01-01', 'late 2022']]],
  ['in mid-June', [['2023-06-11', '2023-06-21', 'mid-June']]],
  ['late last year', [['2022-09-01', '2023-01-01', 'late last year']]],
  // 7 July 2023 is a Friday: its weekend is the one that follows.
  ['the weekend of 7 July 2023', [['2023-07-08', '2023-07-10', 'the weekend of 7 July 2023']]],
  ['The weekend after 3June, 2022.', [['2022-06-04', '2022-06-06', 'The weekend after 3June, 2022']]],
];

const RANGES: [string, Expected[]][] = [
  ['Where was John between Aug 11 and Aug 15 2023?', [['2023-08-11', '2023-08-16', 'between Aug 11 and Aug 15 2023']]],
  ['from 3 to 5 May 2023', [['2023-05-03', '2023-05-06', 'from 3 to 5 May 2023']]],
  ['May 3-5, 2023', [['2023-05-03', '2023-05-06', 'May 3-5, 2023']]],
  ['from May to July 2023', [['2023-05-01', '2023-08-01', 'from May to July 2023']]],
  ['between 2019 and 2021', [['2019-01-01', '2022-01-01', 'between 2019 and 2021']]],
  ['from Dec 20 to Jan 5', [['2022-12-20', '2023-01-06', 'from Dec 20 to Jan 5']]],
];

const RELATIVE_TO_DATE: [string, Expected[]][] = [
  // 9 June 2023 is a Friday: the previous calendar week and that week up to the Friday.
  ['the week before 9 June 2023', [['2023-05-29', '2023-06-09', 'the week before 9 June 2023']]],
  ['the week after 9 June 2023', [['2023-06-10', '2023-06-19', 'the week after 9 June 2023']]],
  ['The week of 23 August 2023', [['2023-08-21', '2023-08-28', 'The week of 23 August 2023']]],
  ['the day before 7 May 2023', [['2023-05-06', '2023-05-07', 'the day before 7 May 2023']]],
  // 20 May 2023 is a Saturday: the weekend before is the previous one.
  ['the weekend before 20 May 2023', [['2023-05-13', '2023-05-15', 'the weekend before 20 May 2023']]],
  ['the Sunday before 25 May 2023', [['2023-05-21', '2023-05-22', 'the Sunday before 25 May 2023']]],
  ['on the Sunday before October 25, 2022', [['2022-10-23', '2022-10-24', 'the Sunday before October 25, 2022']]],
  ['the month before June 2023', [['2023-05-01', '2023-06-01', 'the month before June 2023']]],
  ['two months before June 2023', [['2023-04-01', '2023-05-01', 'two months before June 2023']]],
  // Counted offsets: the day N units away, half a unit either side.
  ['two days after 9 June 2023', [['2023-06-10', '2023-06-13', 'two days after 9 June 2023']]],
  ['the puppy she got two weeks before August 11, 2023', [['2023-07-25', '2023-08-01', 'two weeks before August 11, 2023']]],
  ['two weekends before 17 July 2023', [['2023-07-08', '2023-07-10', 'two weekends before 17 July 2023']]],
  [
    'What did Maria participate in last weekend before April 10, 2023?',
    [['2023-04-08', '2023-04-10', 'last weekend before April 10, 2023']],
  ],
  ['two days after the day before 9 June 2023', [['2023-06-09', '2023-06-12', 'two days after the day before 9 June 2023']]],
];

const RELATIVE_TO_REFERENCE: [string, Expected[]][] = [
  ['What did I eat today?', [['2023-06-15', '2023-06-16', 'today']]],
  ['yesterday', [['2023-06-14', '2023-06-15', 'yesterday']]],
  ['the day before yesterday', [['2023-06-13', '2023-06-14', 'the day before yesterday']]],
  ['last night', [['2023-06-14', '2023-06-16', 'last night']]],
  ['this week', [['2023-06-12', '2023-06-19', 'this week']]],
  ['What happened last week?', [['2023-06-05', '2023-06-15', 'last week']]],
  ['next week', [['2023-06-19', '2023-06-26', 'next week']]],
  ['the past week', [['2023-06-08', '2023-06-16', 'the past week']]],
  ['this month', [['2023-06-01', '2023-07-01', 'this month']]],
  ['last month', [['2023-05-01', '2023-06-01', 'last month']]],
  ['What city did Tim suggest for the team trip next month?', [['2023-07-01', '2023-08-01', 'next month']]],
  ['earlier this month', [['2023-06-01', '2023-06-16', 'earlier this month']]],
  ['this year', [['2023-01-01', '2024-01-01', 'this year']]],
  ['their camping trip last year', [['2022-01-01', '2023-01-01', 'last year']]],
  ['last weekend', [['2023-06-10', '2023-06-12', 'last weekend']]],
  ['this past weekend', [['2023-06-10', '2023-06-12', 'this past weekend']]],
  ['over the weekend', [['2023-06-10', '2023-06-12', 'the weekend']]],
  ['last Friday', [['2023-06-09', '2023-06-10', 'last Friday']]],
  ['on Friday', [['2023-06-09', '2023-06-10', 'Friday']]],
  ['on Thursday', [['2023-06-15', '2023-06-16', 'Thursday']]],
  ['last Thursday', [['2023-06-08', '2023-06-09', 'last Thursday']]],
  ['3 days ago', [['2023-06-11', '2023-06-14', '3 days ago']]],
  ['several days ago', [['2023-06-10', '2023-06-13', 'several days ago']]],
  ['two weeks ago', [['2023-05-29', '2023-06-05', 'two weeks ago']]],
  ['a couple of weeks ago', [['2023-05-29', '2023-06-05', 'a couple of weeks ago']]],
  ['a month ago', [['2023-04-30', '2023-05-31', 'a month ago']]],
  ['a year ago', [['2021-12-15', '2022-12-15', 'a year ago']]],
  ['a few years ago', [['2019-12-16', '2020-12-15', 'a few years ago']]],
  ['Where did Caroline move from 4 years ago?', [['2018-12-15', '2019-12-15', '4 years ago']]],
  ['in 2 weeks', [['2023-06-26', '2023-07-03', 'in 2 weeks']]],
  ['What did Melanie paint recently?', [['2023-05-16', '2023-06-16', 'recently']]],
  ['last summer', [['2022-06-01', '2022-09-01', 'last summer']]],
  ["What are Caroline's plans for the summer?", [['2023-06-01', '2023-09-01', 'the summer']]],
];

const PARTS_AND_HOLIDAYS: [string, Expected[]][] = [
  ['the first half of September 2022', [['2022-09-01', '2022-09-16', 'the first half of September 2022']]],
  [
    'Which tournament did Nate win in the beginning of November 2022?',
    [['2022-11-01', '2022-11-11', 'the beginning of November 2022']],
  ],
  ['the end of May', [['2023-05-21', '2023-06-01', 'the end of May']]],
  [
    'Which country was Tim visiting in the second week of November?',
    [['2022-11-08', '2022-11-15', 'the second week of November']],
  ],
  ['the last week of September 2023', [['2023-09-24', '2023-10-01', 'the last week of September 2023']]],
  ['first weekend of August 2023', [['2023-08-05', '2023-08-07', 'first weekend of August 2023']]],
  ['around August 2022', [['2022-07-24', '2022-09-09', 'around August 2022']]],
  ['Christmas 2022', [['2022-12-24', '2022-12-27', 'Christmas 2022']]],
  ['What tradition does Tim love during Thanksgiving?', [['2022-11-23', '2022-11-26', 'Thanksgiving']]],
  [
    'In late May 2023, and early June',
    [
      ['2023-05-21', '2023-06-01', 'late May 2023'],
      ['2023-06-01', '2023-06-11', 'early June'],
    ],
  ],
];

// A relative expression beside a full date is resolved against that date.
const ANCHORED: [string, Expected[]][] = [
  [
    'What did Joanna just finish last Friday on 23 January, 2022?',
    [
      ['2022-01-21', '2022-01-22', 'last Friday'],
      ['2022-01-23', '2022-01-24', '23 January, 2022'],
    ],
  ],
  [
    "What was Tim's huge writing issue last week,as mentioned on November 6, 2023?",
    [
      ['2023-10-30', '2023-11-06', 'last week'],
      ['2023-11-06', '2023-11-07', 'November 6, 2023'],
    ],
  ],
  [
    'What new activity did Maria start recently, as mentioned on 3 June, 2023?',
    [
      ['2023-05-04', '2023-06-04', 'recently'],
      ['2023-06-03', '2023-06-04', '3 June, 2023'],
    ],
  ],
  [
    'Did it rain yesterday? We met on 3 June 2022.',
    [
      ['2023-06-14', '2023-06-15', 'yesterday'],
      ['2022-06-03', '2022-06-04', '3 June 2022'],
    ],
  ],
];

const NONE = [
  'What may Caroline do?',
  'Who is May?',
  'May I ask what 3-5 people did?',
  'This may help',
  'How many times 2 people went hiking?',
  'She walked in 2000 steps',
  "How long ago was Caroline's 18th birthday?",
  'What year did John start surfing?',
  "Dinner in Jan's kitchen",
  'How did John overcome his ankle injury from last season?',
  "What is the name of John's one-year-old child?",
  'What topic has John been blogging about?',
  'between 2 people and 3 dogs',
  '',
];

describe('parseTimeWindows', () => {
  const groups = { ABSOLUTE, RANGES, RELATIVE_TO_DATE, RELATIVE_TO_REFERENCE, PARTS_AND_HOLIDAYS, ANCHORED };
  for (const [name, cases] of Object.entries(groups)) {
    it.each(cases)(`${name}: %s`, (query, expected) => expectWindows(query, expected));
  }

  it.each(NONE)('finds no window in %j', (query) => {
    expect(parseTimeWindows(query, REF)).toEqual([]);
  });

  it('resolves a year-less date against the reference time', () => {
    expectWindows('in May', [['2022-05-01', '2022-06-01', 'May']], Date.UTC(2023, 3, 30));
    expectWindows('Feb 29', [['2020-02-29', '2020-03-01', 'Feb 29']]);
  });

  it('never throws, and returns only well-formed windows, on random strings', () => {
    let seed = 42;
    const random = (): number => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const pieces = [
      ...'the day week weekend month year before after of between and from to in on last next this past ago a few couple'.split(
        ' ',
      ),
      ...'May may June Sept. Dec Friday summer early late mid the first second half end 7th 3 31 29 2023 2022 1999 0000 99999'.split(
        ' ',
      ),
      ...['-', ',', '.', "'", '?', '/', ' ', '  ', '\u2013', '\u2019', 'é', '\u{1F600}', '\n'],
    ];
    const references = [REF, 0, -8.64e15, 8.64e15, Number.NaN, Date.UTC(2024, 1, 29)];
    for (let i = 0; i < 3000; i++) {
      const length = Math.floor(random() * 20);
      let query = '';
      for (let k = 0; k < length; k++) {
        query +=
          random() < 0.15 ? String.fromCharCode(Math.floor(random() * 0x3000)) : pieces[Math.floor(random() * pieces.length)]!;
        if (random() < 0.7) query += ' ';
      }
      const ref = references[i % references.length]!;
      const found = parseTimeWindows(query, ref);
      for (const w of found) {
        expect(Number.isFinite(w.from) && Number.isFinite(w.to) && w.from < w.to, query).toBe(true);
        expect(query.includes(w.text), query).toBe(true);
      }
    }
  });

  // No timing assertion (shared machines are noisy): a backtracking blow-up would hit vitest's timeout.
  it('parses long adversarial input', () => {
    const query = 'the first week of the day before early between 1-2 May '.repeat(2000);
    const windows = parseTimeWindows(query, REF);
    expect(windows.length).toBeGreaterThan(0);
    expect(windows.every((w) => w.from < w.to)).toBe(true);
  });
});
