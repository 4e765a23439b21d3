// The fact extractors: the rule extractor's statements → facts table, and the refusal of malformed LLM answers.

import { describe, expect, it } from 'vitest';
import { MnemoError } from '../errors.js';
import { INITIAL_STRENGTH_MS, type MemoryRecord } from '../record.js';
import { llmExtractor, parseLlmFacts, ruleExtractor, type CandidateFact } from './extractor.js';

const T0 = Date.UTC(2026, 0, 1);

function turn(id: string, text: string, speaker?: string): MemoryRecord {
  return {
    id,
    namespace: 'test',
    tier: 'episodic',
    text,
    createdAt: T0,
    eventAt: T0,
    updatedAt: T0,
    sessionId: 's1',
    ...(speaker !== undefined && { speaker }),
    importance: 0.5,
    strength: INITIAL_STRENGTH_MS,
    accessCount: 0,
    tags: [],
    meta: {},
    source: { kind: 'user' },
    sourceIds: [],
  };
}

async function rules(text: string, speaker = 'Ada'): Promise<CandidateFact[]> {
  return ruleExtractor([turn('t1', text, speaker)]);
}

describe('ruleExtractor', () => {
  // [statement, [fact text, key?][]]
  const table: [string, [string, string?][]][] = [
    ['I live in Lisbon', [['Ada lives in Lisbon', 'Ada|lives in']]],
    ['I live in Lisbon.', [['Ada lives in Lisbon', 'Ada|lives in']]],
    ["I'm living in New York City, it is loud", [['Ada lives in New York City', 'Ada|lives in']]],
    ['Actually I am living in Porto now!', [['Ada lives in Porto now', 'Ada|lives in']]],
    ['My favourite colour is blue', [["Ada's favourite colour is blue", 'Ada|favorite colour']]],
    ['my favorite colour is green.', [["Ada's favorite colour is green", 'Ada|favorite colour']]],
    ['My favourite books are the Dune novels', [["Ada's favourite books is the Dune novels", 'Ada|favorite books']]],
    ['I work as a nurse', [['Ada works as a nurse', 'Ada|works as']]],
    ['I work at the harbour and I love it', [['Ada works at the harbour', 'Ada|works at'], ['Ada loves it']]],
    ["I'm working for Acme Corp; it pays", [['Ada works for Acme Corp', 'Ada|works for']]],
    ['I love jazz', [['Ada loves jazz']]],
    ['I really like green tea, honestly', [['Ada likes green tea']]],
    ['I prefer window seats', [['Ada prefers window seats']]],
    ['I hate waiting but I enjoy hiking', [['Ada hates waiting'], ['Ada enjoys hiking']]],
    ['I love tea and I love coffee', [['Ada loves tea'], ['Ada loves coffee']]],
    ["I'm a nurse", [['Ada is a nurse']]],
    ['I am an engineer', [['Ada is an engineer']]],
    ["I'm vegetarian", [['Ada is vegetarian']]],
    ['I am allergic to peanuts', [['Ada is allergic to peanuts']]],
    ["I'm retired.", [['Ada is retired']]],
    ["My dog's name is Rex", [["Ada's dog is called Rex", 'Ada|dog name']]],
    ['my sister is called Grace', [["Ada's sister is called Grace", 'Ada|sister name']]],
    ['My cat is named Tom, he is grey', [["Ada's cat is called Tom", 'Ada|cat name']]],
    ['I have a dog', [['Ada has a dog']]],
    ['I have two kids and a cat', [['Ada has two kids']]],
    ['I have 3 bikes', [['Ada has 3 bikes']]],
  ];

  it.each(table)('%j gives the expected facts', async (text, expected) => {
    const facts = await rules(text);
    expect(facts).toEqual(expected.map(([fact, key]) => ({ text: fact, sourceIds: ['t1'], ...(key !== undefined && { key }) })));
  });

  const nonMatches = [
    'I used to live in Paris',
    "I don't live in Paris",
    'I am not a doctor',
    "I'm not vegetarian",
    'I liked the movie',
    'We live in Lisbon',
    'She works at the bank',
    'You love jazz',
    'The weather is nice today',
    'I have to go',
    'my favourite',
    'I live in X',
  ];

  it.each(nonMatches)('%j gives no fact', async (text) => {
    expect(await rules(text)).toEqual([]);
  });

  it('names the speaker, and skips turns without one or by the assistant', async () => {
    expect((await rules('I live in Lisbon', 'Bo')).map((f) => [f.text, f.key])).toEqual([['Bo lives in Lisbon', 'Bo|lives in']]);
    expect(await ruleExtractor([turn('t1', 'I live in Lisbon')])).toEqual([]);
    expect(await rules('I live in Lisbon', 'assistant')).toEqual([]);
  });

  it('cites each fact to its own turn across a batch', async () => {
    const facts = await ruleExtractor([
      turn('a', 'I live in Lisbon', 'Ada'),
      turn('b', 'nothing here', 'Bo'),
      turn('c', 'I love jazz', 'Bo'),
      turn('d', 'I love jazz', 'assistant'),
    ]);
    expect(facts).toEqual([
      { text: 'Ada lives in Lisbon', key: 'Ada|lives in', sourceIds: ['a'] },
      { text: 'Bo loves jazz', sourceIds: ['c'] },
    ]);
  });

  it('gives the same facts when run twice (no state left in the global patterns)', async () => {
    const batch = [turn('a', 'I love tea and I love coffee', 'Ada'), turn('b', 'I love jazz', 'Bo')];
    const first = await ruleExtractor(batch);
    expect(first).toHaveLength(3);
    expect(await ruleExtractor(batch)).toEqual(first);
  });
});

describe('parseLlmFacts', () => {
  const turns = [turn('t0', 'I live in Lisbon', 'Ada'), turn('t1', 'I love jazz', 'Bo')];

  it('accepts a fenced JSON answer wrapped in prose', () => {
    const answer =
      'Here are the facts:\n```json\n[\n  {"fact": " Ada lives in Lisbon ", "key": "Ada|lives in", "turns": [0], "importance": 0.8},\n' +
      '  {"fact": "Bo loves jazz", "turns": [1, 1, 0]}\n]\n```\nHope this helps.';
    expect(parseLlmFacts(answer, turns)).toEqual([
      { text: 'Ada lives in Lisbon', key: 'Ada|lives in', sourceIds: ['t0'], importance: 0.8 },
      { text: 'Bo loves jazz', sourceIds: ['t1', 't0'] },
    ]);
  });

  it('accepts an empty array: nothing durable', () => {
    expect(parseLlmFacts('[]', turns)).toEqual([]);
    expect(parseLlmFacts('Nothing durable here: []', turns)).toEqual([]);
  });

  const malformed: [string, unknown][] = [
    ['not text', 42],
    ['not text (an object)', { fact: 'x' }],
    ['no array', 'not json'],
    ['an object, not an array', '{"fact": "Ada lives in Lisbon", "turns": [0]}'],
    ['a closing bracket only', 'oops ]'],
    ['brackets in the wrong order', '] then ['],
    ['invalid JSON', '[{"fact": "Ada", turns: [0]}]'],
    ['two arrays', '[1] and [2]'],
    ['an item that is a number', '[3]'],
    ['an item that is null', '[null]'],
    ['an item that is an array', '[["Ada lives in Lisbon", [0]]]'],
    ['a numeric fact', '[{"fact": 3}]'],
    ['a missing fact', '[{"turns": [0]}]'],
    ['an empty fact', '[{"fact": "  ", "turns": [0]}]'],
    ['a fact over 1000 characters', JSON.stringify([{ fact: 'a'.repeat(1001), turns: [0] }])],
    ['a numeric key', '[{"fact": "Ada lives in Lisbon", "key": 7, "turns": [0]}]'],
    ['an empty key', '[{"fact": "Ada lives in Lisbon", "key": "", "turns": [0]}]'],
    ['a key over 256 characters', JSON.stringify([{ fact: 'Ada lives in Lisbon', key: 'k'.repeat(257), turns: [0] }])],
    ['no turns', '[{"fact": "Ada lives in Lisbon"}]'],
    ['empty turns', '[{"fact": "Ada lives in Lisbon", "turns": []}]'],
    ['turns not an array', '[{"fact": "Ada lives in Lisbon", "turns": 0}]'],
    ['a turn index out of range', '[{"fact": "Ada lives in Lisbon", "turns": [2]}]'],
    ['a negative turn index', '[{"fact": "Ada lives in Lisbon", "turns": [-1]}]'],
    ['a fractional turn index', '[{"fact": "Ada lives in Lisbon", "turns": [0.5]}]'],
    ['a turn index as a string', '[{"fact": "Ada lives in Lisbon", "turns": ["0"]}]'],
    ['an importance above 1', '[{"fact": "Ada lives in Lisbon", "turns": [0], "importance": 1.5}]'],
    ['a negative importance', '[{"fact": "Ada lives in Lisbon", "turns": [0], "importance": -0.1}]'],
    ['an importance as a string', '[{"fact": "Ada lives in Lisbon", "turns": [0], "importance": "high"}]'],
    ['one bad item among good ones', '[{"fact": "Ada lives in Lisbon", "turns": [0]}, {"fact": 3, "turns": [1]}]'],
  ];

  it.each(malformed)('refuses %s with INVALID_ARGUMENT', (_name, answer) => {
    let error: unknown;
    try {
      parseLlmFacts(answer, turns);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MnemoError);
    expect((error as MnemoError).code).toBe('INVALID_ARGUMENT');
    expect((error as MnemoError).message).toMatch(/^Extractor output refused: /);
  });
});

describe('llmExtractor', () => {
  it('numbers the turns in its prompt and maps the cited indices back to ids', async () => {
    const prompts: string[] = [];
    const extract = llmExtractor(async (prompt) => {
      prompts.push(prompt);
      return '[{"fact": "Bo loves jazz", "turns": [1]}]';
    });
    const facts = await extract([turn('x0', 'I live in Lisbon', 'Ada'), turn('x1', 'I love jazz', 'Bo'), turn('x2', 'hello')]);
    expect(facts).toEqual([{ text: 'Bo loves jazz', sourceIds: ['x1'] }]);
    expect(prompts).toHaveLength(1);
    expect(prompts[0]).toContain('\n[0] Ada: I live in Lisbon\n[1] Bo: I love jazz\n[2] unknown: hello');
  });

  it('rejects (INVALID_ARGUMENT) when the model answers something malformed', async () => {
    const extract = llmExtractor(async () => 'I could not find any facts.');
    await expect(extract([turn('x0', 'I live in Lisbon', 'Ada')])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

describe('ruleExtractor, statements only', () => {
  it('learns nothing from a question, and reads curly apostrophes', async () => {
    expect(await ruleExtractor([turn('t1', 'Should I live in Paris? I live in Lyon.', 'Ada')])).toEqual([
      { text: 'Ada lives in Lyon', key: 'Ada|lives in', sourceIds: ['t1'] },
    ]);
    expect((await ruleExtractor([turn('t1', 'I’m vegetarian', 'Ada')])).map((f) => f.text)).toEqual(['Ada is vegetarian']);
  });
});
