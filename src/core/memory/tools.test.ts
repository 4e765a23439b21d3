// Unit tests of the memory tools against a fake target that records each call and answers with canned records.

import { describe, expect, it } from 'vitest';
import type { FactResult, RecallHit, ToolCall, WorkingBlock } from '../api.js';
import { MnemoError } from '../errors.js';
import { INITIAL_STRENGTH_MS, type MemoryRecord } from '../record.js';
import { MEMORY_TOOLS, executeTool, type ToolTarget } from './tools.js';

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

function record(overrides: Partial<MemoryRecord> = {}): MemoryRecord {
  return {
    id: 'r1',
    namespace: 'test',
    tier: 'episodic',
    text: 'I moved to Lisbon',
    createdAt: T0,
    eventAt: T0,
    updatedAt: T0,
    importance: 0.5,
    strength: INITIAL_STRENGTH_MS,
    accessCount: 0,
    tags: [],
    meta: {},
    source: { kind: 'user' },
    sourceIds: [],
    ...overrides,
  };
}

const block: WorkingBlock = { label: 'human', value: 'Name: Ana', limit: 500, readOnly: false, updatedAt: T0 };

interface Call {
  method: keyof ToolTarget;
  args: unknown[];
}

/** A ToolTarget that records what it is asked and answers with `answers` (or throws `failure`). */
function fakeTarget(answers: Partial<Record<keyof ToolTarget, unknown>> = {}, failure?: Error) {
  const calls: Call[] = [];
  const defaults: Record<keyof ToolTarget, unknown> = {
    recall: [] satisfies RecallHit[],
    remember: [record({ id: 'new1' })],
    workingAppend: block,
    workingReplace: block,
    workingList: [block],
    factAdd: { fact: record({ id: 'f1', tier: 'semantic' }), outcome: 'added' } satisfies FactResult,
    factUpdate: { fact: record({ id: 'f2', tier: 'semantic' }), outcome: 'superseded' } satisfies FactResult,
    factInvalidate: record({ id: 'f1', tier: 'semantic', invalidAt: T0 + 1000 }),
    factList: [record({ id: 'f1', tier: 'semantic', text: 'Ana is vegetarian', validFrom: T0 })],
    archiveAdd: { documentId: 'd1', title: 'Doc', chunkIds: ['c1', 'c2', 'c3'] },
  };
  const method =
    (name: keyof ToolTarget) =>
    async (...args: unknown[]): Promise<never> => {
      calls.push({ method: name, args });
      if (failure !== undefined) throw failure;
      return (name in answers ? answers[name] : defaults[name]) as never;
    };
  const target = Object.fromEntries(
    Object.keys(defaults).map((name) => [name, method(name as keyof ToolTarget)]),
  ) as unknown as ToolTarget;
  return { target, calls };
}

async function run(call: ToolCall, answers: Partial<Record<keyof ToolTarget, unknown>> = {}) {
  const { target, calls } = fakeTarget(answers);
  const result = await executeTool(target, call);
  return { result, calls, content: JSON.parse(result.content) as unknown };
}

async function expectError(call: ToolCall, code: string, pattern?: RegExp) {
  const { result, calls, content } = await run(call);
  expect(result.isError).toBe(true);
  expect(result.name).toBe(call.name);
  expect(content).toEqual({ error: { code, message: expect.any(String) as string } });
  if (pattern) expect((content as { error: { message: string } }).error.message).toMatch(pattern);
  expect(calls).toEqual([]);
}

describe('the tool definitions', () => {
  it('are JSON-serialisable objects in the function-calling schema subset', () => {
    expect(JSON.parse(JSON.stringify(MEMORY_TOOLS))).toEqual(MEMORY_TOOLS);
    for (const tool of MEMORY_TOOLS) {
      expect(tool.name).toMatch(/^[a-z_]{1,64}$/);
      expect(tool.description.length).toBeGreaterThan(20);
      expect(tool.parameters).toMatchObject({ type: 'object', additionalProperties: false });
      const properties = tool.parameters['properties'] as Record<string, { type: string; description: string }>;
      for (const property of Object.values(properties)) {
        expect(['string', 'integer', 'number', 'array']).toContain(property.type);
        expect(property.description.length).toBeGreaterThan(5);
      }
      for (const name of tool.parameters['required'] as string[]) expect(Object.hasOwn(properties, name)).toBe(true);
    }
  });

  it('offer the eleven memory tools, each once', () => {
    expect(MEMORY_TOOLS.map((t) => t.name)).toEqual([
      'memory_search',
      'memory_add',
      'core_memory_append',
      'core_memory_replace',
      'core_memory_view',
      'fact_add',
      'fact_update',
      'fact_invalidate',
      'fact_list',
      'archival_insert',
      'archival_search',
    ]);
  });

  it('never mention force', () => {
    expect(JSON.stringify(MEMORY_TOOLS)).not.toMatch(/\bforce\b/i);
  });

  it('are deeply frozen', () => {
    const search = MEMORY_TOOLS[0]!;
    expect(Object.isFrozen(MEMORY_TOOLS)).toBe(true);
    expect(Object.isFrozen(search)).toBe(true);
    expect(Object.isFrozen(search.parameters['properties'])).toBe(true);
    expect(() => {
      (search.parameters['required'] as string[]).push('x');
    }).toThrow(TypeError);
  });

  it('do not offer the working tier to search', () => {
    const properties = MEMORY_TOOLS[0]!.parameters['properties'] as { tiers: { items: { enum: string[] } } };
    expect(properties.tiers.items.enum).not.toContain('working');
    expect(properties.tiers.items.enum).toContain('archival');
  });
});

describe('executeTool maps each tool to its verb', () => {
  const hit: RecallHit = {
    record: record({ id: 'r7', speaker: 'user', meta: { title: 'Trip notes' } }),
    score: 0.123456,
    scores: { lexical: 1, relevance: 1, time: 1, speaker: 1, question: 1, importance: 0.5, retention: 1 },
  };

  // Three times k are asked for, so that k remain once flagged low-trust hits are withheld (safety/withheld.ts).
  it('memory_search: defaults k to 8 and reinforces', async () => {
    const { result, calls, content } = await run({ name: 'memory_search', arguments: '{"query":"Lisbon"}' }, { recall: [hit] });
    expect(result).toMatchObject({ name: 'memory_search', isError: false });
    expect(calls).toEqual([{ method: 'recall', args: ['Lisbon', { k: 24, reinforce: true }] }]);
    expect(content).toEqual([
      { id: 'r7', tier: 'episodic', text: 'I moved to Lisbon', speaker: 'user', at: '2026-01-02T03:04:05.000Z', score: 0.123 },
    ]);
  });

  it('memory_search: maps k, tiers and session_id', async () => {
    const { calls } = await run({
      name: 'memory_search',
      arguments: { query: 'Lisbon', k: 3, tiers: ['semantic', 'archival'], session_id: 's1' },
    });
    expect(calls).toEqual([
      {
        method: 'recall',
        args: ['Lisbon', { k: 9, tiers: ['semantic', 'archival'], filter: { sessionId: 's1' }, reinforce: true }],
      },
    ]);
  });

  it('memory_search: leaves speaker out of a hit without one', async () => {
    const { content } = await run(
      { name: 'memory_search', arguments: { query: 'q' } },
      { recall: [{ ...hit, record: record({ speaker: undefined }) }] },
    );
    expect(content).toEqual([expect.not.objectContaining({ speaker: expect.anything() as unknown })]);
  });

  it('memory_add: maps snake_case to camelCase and marks the record as the model’s', async () => {
    const { calls, content } = await run({
      name: 'memory_add',
      arguments: JSON.stringify({ text: 'Ana likes jazz', speaker: 'user', session_id: 's1', tags: ['music'] }),
    });
    expect(calls).toEqual([
      {
        method: 'remember',
        args: [{ text: 'Ana likes jazz', speaker: 'user', sessionId: 's1', tags: ['music'], source: { kind: 'llm' } }],
      },
    ]);
    expect(content).toEqual({ id: 'new1' });
  });

  it('memory_add: passes no options the model did not give', async () => {
    const { calls } = await run({ name: 'memory_add', arguments: { text: 'x' } });
    expect(calls[0]!.args).toEqual([{ text: 'x', source: { kind: 'llm' } }]);
  });

  it('core_memory_append', async () => {
    const { calls, content } = await run({ name: 'core_memory_append', arguments: { label: 'human', text: 'Likes jazz.' } });
    expect(calls).toEqual([{ method: 'workingAppend', args: ['human', 'Likes jazz.'] }]);
    expect(content).toEqual({ label: 'human', value: 'Name: Ana', limit: 500 });
  });

  it('core_memory_replace', async () => {
    const { calls, content } = await run({
      name: 'core_memory_replace',
      arguments: '{"label":"human","old_text":"Ana","new_text":"Ana Silva"}',
    });
    expect(calls).toEqual([{ method: 'workingReplace', args: ['human', 'Ana', 'Ana Silva'] }]);
    expect(content).toEqual({ label: 'human', value: 'Name: Ana', limit: 500 });
  });

  it('core_memory_view, with "{}", "" or an object as arguments', async () => {
    for (const args of ['{}', '', ' ', {}]) {
      const { calls, content } = await run({ name: 'core_memory_view', arguments: args });
      expect(calls).toEqual([{ method: 'workingList', args: [] }]);
      expect(content).toEqual([{ label: 'human', value: 'Name: Ana', limit: 500, readOnly: false }]);
    }
  });

  it('fact_add', async () => {
    const { calls, content } = await run({
      name: 'fact_add',
      arguments: { text: 'Ana is vegetarian', source_ids: ['r1', 'r2'], tags: ['diet'], importance: 0.8 },
    });
    expect(calls).toEqual([
      {
        method: 'factAdd',
        args: [{ text: 'Ana is vegetarian', sourceIds: ['r1', 'r2'], tags: ['diet'], importance: 0.8, source: { kind: 'llm' } }],
      },
    ]);
    expect(content).toEqual({ id: 'f1', outcome: 'added' });
  });

  it('fact_update: answers with the id of the new version', async () => {
    const { calls, content } = await run({ name: 'fact_update', arguments: { id: 'f1', text: 'Ana is vegan' } });
    expect(calls).toEqual([{ method: 'factUpdate', args: ['f1', { text: 'Ana is vegan', source: { kind: 'llm' } }] }]);
    expect(content).toEqual({ id: 'f2', outcome: 'superseded' });
  });

  it('fact_invalidate', async () => {
    const { calls, content } = await run({ name: 'fact_invalidate', arguments: '{"id":"f1"}' });
    expect(calls).toEqual([{ method: 'factInvalidate', args: ['f1'] }]);
    expect(content).toEqual({ id: 'f1', invalidAt: '2026-01-02T03:04:06.000Z' });
  });

  it('fact_list', async () => {
    const { calls, content } = await run({ name: 'fact_list', arguments: {} });
    expect(calls).toEqual([{ method: 'factList', args: [] }]);
    expect(content).toEqual([{ id: 'f1', text: 'Ana is vegetarian', validFrom: '2026-01-02T03:04:05.000Z' }]);
  });

  it('archival_insert', async () => {
    const { calls, content } = await run({
      name: 'archival_insert',
      arguments: { text: 'Long notes', title: 'Notes', source: 'notes.md' },
    });
    // What the model archives is low trust, as its other writes are.
    expect(calls).toEqual([
      { method: 'archiveAdd', args: [{ text: 'Long notes', title: 'Notes', source: 'notes.md', trust: 'low' }] },
    ]);
    expect(content).toEqual({ documentId: 'd1', chunks: 3 });
    const bare = await run({ name: 'archival_insert', arguments: { text: 'Long notes', title: 'Notes' } });
    expect(bare.calls[0]!.args).toEqual([{ text: 'Long notes', title: 'Notes', trust: 'low' }]);
  });

  it('archival_search: only the archive, with the title of each document', async () => {
    const { calls, content } = await run({ name: 'archival_search', arguments: { query: 'trip', k: 2 } }, { recall: [hit] });
    expect(calls).toEqual([{ method: 'recall', args: ['trip', { k: 6, tiers: ['archival'] }] }]);
    expect(content).toEqual([expect.objectContaining({ id: 'r7', score: 0.123, title: 'Trip notes' })]);
    const defaults = await run({ name: 'archival_search', arguments: { query: 'trip' } });
    expect(defaults.calls[0]!.args[1]).toEqual({ k: 24, tiers: ['archival'] });
  });
});

describe('executeTool refuses bad calls with a result the model can read', () => {
  it('malformed JSON', () =>
    expectError({ name: 'memory_search', arguments: '{"query": "x"' }, 'TOOL_ARGUMENTS', /not valid JSON/));

  it('JSON that is not an object', async () => {
    for (const args of ['[]', '"x"', '42', 'null']) {
      await expectError({ name: 'memory_search', arguments: args }, 'TOOL_ARGUMENTS', /must be a JSON object/);
    }
    await expectError({ name: 'memory_search', arguments: ['x'] as never }, 'TOOL_ARGUMENTS');
    await expectError({ name: 'memory_search', arguments: null as never }, 'TOOL_ARGUMENTS');
  });

  it('a missing required argument', () =>
    expectError({ name: 'core_memory_replace', arguments: { label: 'human', old_text: 'a' } }, 'TOOL_ARGUMENTS', /"new_text"/));

  it('an argument of the wrong type', async () => {
    await expectError({ name: 'memory_search', arguments: { query: 42 } }, 'TOOL_ARGUMENTS', /"query" must be a string/);
    await expectError({ name: 'memory_search', arguments: { query: 'q', k: '5' } }, 'TOOL_ARGUMENTS', /"k" must be an integer/);
    await expectError({ name: 'memory_search', arguments: { query: 'q', k: 2.5 } }, 'TOOL_ARGUMENTS', /"k"/);
    await expectError({ name: 'memory_add', arguments: { text: 'x', tags: 'music' } }, 'TOOL_ARGUMENTS', /"tags"/);
    await expectError({ name: 'memory_add', arguments: { text: 'x', tags: ['a', 1] } }, 'TOOL_ARGUMENTS', /"tags"/);
    await expectError({ name: 'fact_add', arguments: { text: 'x', importance: '0.5' } }, 'TOOL_ARGUMENTS', /"importance"/);
    await expectError({ name: 'fact_add', arguments: { text: 'x', importance: null } }, 'TOOL_ARGUMENTS', /"importance"/);
  });

  it('a number out of range', async () => {
    await expectError({ name: 'memory_search', arguments: { query: 'q', k: 0 } }, 'TOOL_ARGUMENTS', /from 1 to 50/);
    await expectError({ name: 'memory_search', arguments: { query: 'q', k: 51 } }, 'TOOL_ARGUMENTS', /from 1 to 50/);
    await expectError({ name: 'fact_add', arguments: { text: 'x', importance: 1.5 } }, 'TOOL_ARGUMENTS', /from 0 to 1/);
  });

  it('a value outside an enum, including the working tier', async () => {
    await expectError({ name: 'memory_search', arguments: { query: 'q', tiers: ['working'] } }, 'TOOL_ARGUMENTS', /"tiers"/);
    await expectError({ name: 'memory_search', arguments: { query: 'q', tiers: ['nope'] } }, 'TOOL_ARGUMENTS', /"tiers"/);
  });

  it('an unknown argument, such as force, or a camelCase spelling', async () => {
    await expectError(
      { name: 'core_memory_append', arguments: { label: 'persona', text: 'x', force: true } },
      'TOOL_ARGUMENTS',
      /"force"/,
    );
    await expectError({ name: 'memory_add', arguments: { text: 'x', sessionId: 's1' } }, 'TOOL_ARGUMENTS', /known: text/);
    await expectError({ name: 'fact_list', arguments: { include_invalid: true } }, 'TOOL_ARGUMENTS', /takes none/);
  });

  it('inherited names such as constructor or __proto__', async () => {
    await expectError({ name: 'fact_list', arguments: '{"constructor":"x"}' }, 'TOOL_ARGUMENTS');
    await expectError({ name: 'fact_list', arguments: '{"__proto__":{"a":1}}' }, 'TOOL_ARGUMENTS');
  });

  it('an unknown tool', async () => {
    await expectError({ name: 'memory_delete', arguments: {} }, 'TOOL_UNKNOWN', /memory_search/);
    await expectError({ name: 'toString', arguments: {} }, 'TOOL_UNKNOWN');
  });
});

describe('executeTool and errors of the memory', () => {
  it.each([
    ['READ_ONLY', 'core_memory_append', { label: 'persona', text: 'x' }],
    ['BLOCK_FULL', 'core_memory_append', { label: 'human', text: 'x' }],
    ['NOT_FOUND', 'fact_invalidate', { id: 'nope' }],
    ['TEXT_EMPTY', 'memory_add', { text: ' ' }],
  ] as const)('turns a MnemoError %s into an isError result', async (code, name, args) => {
    const { target, calls } = fakeTarget({}, new MnemoError(code, `${code} happened`));
    const result = await executeTool(target, { name, arguments: args });
    expect(calls).toHaveLength(1);
    expect(result).toEqual({ name, isError: true, content: JSON.stringify({ error: { code, message: `${code} happened` } }) });
  });

  it('re-throws anything else: it is a bug, not something the model can fix', async () => {
    const bug = new TypeError('boom');
    const { target } = fakeTarget({}, bug);
    await expect(executeTool(target, { name: 'fact_list', arguments: {} })).rejects.toBe(bug);
  });

  it('never forwards a force flag to the memory', async () => {
    const { target, calls } = fakeTarget();
    for (const tool of MEMORY_TOOLS) {
      await executeTool(target, { name: tool.name, arguments: { force: true } });
    }
    await executeTool(target, { name: 'core_memory_replace', arguments: { label: 'persona', old_text: 'a', new_text: 'b' } });
    expect(calls).toEqual([{ method: 'workingReplace', args: ['persona', 'a', 'b'] }]);
    expect(JSON.stringify(calls)).not.toContain('"force"');
  });
});
