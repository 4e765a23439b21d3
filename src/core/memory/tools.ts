// The memory as tools for a function-calling LLM: the definitions to offer the model, and the one entry
// point that checks a call the model made against its tool's schema and runs it on the memory.
//
// Everything the model gets back is JSON text, errors included: a bad call is answered, not thrown, so the
// model can read what was wrong and try again. Only a bug (a throw that is not a MnemoError) escapes.

import type { MemoryApi, RecallHit, RecallOptions, ToolCall, ToolDefinition, ToolOptions, ToolResult } from '../api.js';
import { MnemoError } from '../errors.js';
import { TIERS, type JsonObject, type JsonValue, type MemoryRecord, type RecordSource, type Tier } from '../record.js';
import { flagsOf } from '../safety/detector.js';
import { isWithheld } from '../safety/withheld.js';
import { checkBoolean, checkOptions, invalid, isPlainObject } from '../validate.js';

/** The memory verbs a function-calling LLM may use. */
export type ToolTarget = Pick<
  MemoryApi,
  | 'recall'
  | 'remember'
  | 'workingAppend'
  | 'workingReplace'
  | 'workingList'
  | 'factAdd'
  | 'factUpdate'
  | 'factInvalidate'
  | 'factList'
  | 'archiveAdd'
>;

// The JSON Schema subset the tools use, which is also all the validator below understands. Kept to what
// OpenAI and Anthropic function calling both accept: no $schema, $ref, oneOf or formats.
type StringSchema = { type: 'string'; description: string; enum?: readonly string[] };
type NumberSchema = { type: 'integer' | 'number'; description: string; minimum?: number; maximum?: number };
type StringArraySchema = { type: 'array'; description: string; items: { type: 'string'; enum?: readonly string[] } };
type PropertySchema = StringSchema | NumberSchema | StringArraySchema;

interface ObjectSchema {
  type: 'object';
  properties: Readonly<Record<string, PropertySchema>>;
  required: readonly string[];
  additionalProperties: false;
}

/** Arguments once checked against their tool's schema. */
type Args = Readonly<Record<string, unknown>>;

interface Tool {
  name: string;
  description: string;
  parameters: ObjectSchema;
  run(target: ToolTarget, args: Args, options: ToolOptions): Promise<JsonValue>;
}

/** What the model may search: working blocks are already in its context, whole. */
const SEARCHABLE_TIERS = TIERS.filter((tier) => tier !== 'working');
const DEFAULT_K = 8;
const MAX_K = 50;
/** Whatever the model writes is marked as the model's, so the app can weigh or audit it apart from the user's. */
const LLM_SOURCE: RecordSource = Object.freeze({ kind: 'llm' });

const str = (description: string): StringSchema => ({ type: 'string', description });
const strings = (description: string): StringArraySchema => ({ type: 'array', description, items: { type: 'string' } });
const kParam: NumberSchema = {
  type: 'integer',
  description: `How many results to return, 1-${MAX_K}. Default ${DEFAULT_K}.`,
  minimum: 1,
  maximum: MAX_K,
};

function schema(properties: Record<string, PropertySchema>, required: string[] = []): ObjectSchema {
  return { type: 'object', properties, required, additionalProperties: false };
}

const TOOLS: readonly Tool[] = [
  {
    name: 'memory_search',
    description:
      'Search long-term memory (past conversation turns, facts, summaries, instructions and archived documents) ' +
      'for anything relevant to a query. Use it before answering when the user refers to something said earlier ' +
      'or to something you may already know about them. Returns the best matches first, each with its id, tier, ' +
      'text, speaker, date and score.',
    parameters: schema(
      {
        query: str('What to look for, in natural language, e.g. "where the user moved last year".'),
        k: kParam,
        tiers: {
          type: 'array',
          description:
            'Only search these tiers: episodic (conversation turns), semantic (facts), procedural (instructions), ' +
            'archival (documents), shortTerm. Default: all of them.',
          items: { type: 'string', enum: SEARCHABLE_TIERS },
        },
        session_id: str('Only search the turns of this conversation session.'),
      },
      ['query'],
    ),
    run: async (target, args, toolOptions) => {
      const k = optional<number>(args, 'k') ?? DEFAULT_K;
      const options: RecallOptions = { k: searchK(k, toolOptions), reinforce: true };
      const tiers = optional<Tier[]>(args, 'tiers');
      if (tiers) options.tiers = tiers;
      const sessionId = optional<string>(args, 'session_id');
      if (sessionId !== undefined) options.filter = { sessionId };
      return admitted(await target.recall(required<string>(args, 'query'), options), k, toolOptions).map(hitJson);
    },
  },
  {
    name: 'memory_add',
    description:
      'Store something in long-term memory as a new entry, e.g. an event the user mentioned. Prefer fact_add for a ' +
      'lasting fact about the user or the world. Returns the id of the new entry.',
    parameters: schema(
      {
        text: str('What to remember, as a self-contained sentence that will make sense on its own later.'),
        speaker: str('Who said or did it, e.g. "user" or a name.'),
        session_id: str('The conversation session it belongs to.'),
        tags: strings('Short labels to file it under, e.g. ["travel"].'),
      },
      ['text'],
    ),
    run: async (target, args) => {
      const [record] = await target.remember({
        text: required<string>(args, 'text'),
        ...defined({
          speaker: optional<string>(args, 'speaker'),
          sessionId: optional<string>(args, 'session_id'),
          tags: optional<string[]>(args, 'tags'),
        }),
        source: LLM_SOURCE,
      });
      return { id: record?.id ?? null };
    },
  },
  {
    name: 'core_memory_append',
    description:
      'Append text to a core memory block, which is always shown to you in full (e.g. the "human" block about the ' +
      'user, the "persona" block about you). Fails if the block is read-only or would exceed its character limit.',
    parameters: schema(
      { label: str('The block to append to, e.g. "human".'), text: str('The text to add at the end of the block.') },
      ['label', 'text'],
    ),
    run: async (target, args) =>
      blockJson(await target.workingAppend(required(args, 'label'), unflagged('core_memory_append', required(args, 'text')))),
  },
  {
    name: 'core_memory_replace',
    description:
      'Replace text in a core memory block: old_text must occur exactly once in the block. Use an empty new_text to ' +
      'delete old_text. Fails if the block is read-only, old_text is missing or ambiguous, or the result is too long.',
    parameters: schema(
      {
        label: str('The block to edit, e.g. "human".'),
        old_text: str('The exact text to replace, as it appears in the block.'),
        new_text: str('The text to put in its place.'),
      },
      ['label', 'old_text', 'new_text'],
    ),
    run: async (target, args) =>
      blockJson(
        await target.workingReplace(
          required(args, 'label'),
          required(args, 'old_text'),
          unflagged('core_memory_replace', required(args, 'new_text')),
        ),
      ),
  },
  {
    name: 'core_memory_view',
    description: 'List the core memory blocks with their current text, character limit and whether you may edit them.',
    parameters: schema({}),
    run: async (target) => (await target.workingList()).map((block) => ({ ...blockJson(block), readOnly: block.readOnly })),
  },
  {
    name: 'fact_add',
    description:
      'Record a lasting fact, e.g. "The user is vegetarian." A fact nearly identical to an existing one is merged ' +
      'into it instead of duplicated. To change a fact you already know, use fact_update. Returns its id.',
    parameters: schema(
      {
        text: str('The fact, as one self-contained sentence.'),
        source_ids: strings('Ids of the memory entries the fact was learnt from, from memory_search.'),
        tags: strings('Short labels to file it under.'),
        importance: { type: 'number', description: 'How much it matters, 0 to 1. Default 0.5.', minimum: 0, maximum: 1 },
      },
      ['text'],
    ),
    run: async (target, args) => {
      const result = await target.factAdd({
        text: required<string>(args, 'text'),
        ...defined({
          sourceIds: optional<string[]>(args, 'source_ids'),
          tags: optional<string[]>(args, 'tags'),
          importance: optional<number>(args, 'importance'),
        }),
        source: LLM_SOURCE,
      });
      return { id: result.fact.id, outcome: result.outcome };
    },
  },
  {
    name: 'fact_update',
    description:
      'Correct or update a fact that has changed: the old version stops being current and a new version replaces ' +
      'it. Returns the id of the new version; use that id from now on.',
    parameters: schema(
      { id: str('The id of the fact to update, from fact_list or memory_search.'), text: str('The fact as it now stands.') },
      ['id', 'text'],
    ),
    run: async (target, args) => {
      const result = await target.factUpdate(required(args, 'id'), { text: required(args, 'text'), source: LLM_SOURCE });
      return { id: result.fact.id, outcome: result.outcome };
    },
  },
  {
    name: 'fact_invalidate',
    description: 'Mark a fact as no longer true, without a replacement. It is kept in history but no longer current.',
    parameters: schema({ id: str('The id of the fact, from fact_list or memory_search.') }, ['id']),
    run: async (target, args) => {
      const fact = await target.factInvalidate(required(args, 'id'));
      return { id: fact.id, invalidAt: fact.invalidAt === undefined ? null : iso(fact.invalidAt) };
    },
  },
  {
    name: 'fact_list',
    description: 'List the facts that are currently true, with their ids and since when they hold.',
    parameters: schema({}),
    run: async (target) =>
      (await target.factList()).map((fact) => ({ id: fact.id, text: fact.text, validFrom: iso(fact.validFrom ?? fact.eventAt) })),
  },
  {
    name: 'archival_insert',
    description:
      'Save a document (notes, an article, a long text) to the archive, where archival_search can find its passages ' +
      'later. Returns the document id and how many passages it was split into.',
    parameters: schema(
      {
        text: str('The full text of the document.'),
        title: str('A short title for the document.'),
        source: str('Where it came from, e.g. a URL or file name.'),
      },
      ['text', 'title'],
    ),
    run: async (target, args) => {
      const doc = await target.archiveAdd({
        text: required<string>(args, 'text'),
        title: required<string>(args, 'title'),
        ...defined({ source: optional<string>(args, 'source') }),
        // The model's document is as trusted as the model's other writes: not at all.
        trust: 'low',
      });
      return { documentId: doc.documentId, chunks: doc.chunkIds.length };
    },
  },
  {
    name: 'archival_search',
    description:
      'Search the passages of archived documents for a query. Returns the best matches first, each with the title ' +
      'of its document.',
    parameters: schema({ query: str('What to look for, in natural language.'), k: kParam }, ['query']),
    run: async (target, args, toolOptions) => {
      const k = optional<number>(args, 'k') ?? DEFAULT_K;
      const hits = await target.recall(required(args, 'query'), { k: searchK(k, toolOptions), tiers: ['archival'] });
      return admitted(hits, k, toolOptions).map((hit) => ({ ...hitJson(hit), title: titleOf(hit.record) }));
    },
  },
];

const BY_NAME = new Map(TOOLS.map((tool) => [tool.name, tool]));

/** The tool definitions to hand a function-calling API, frozen so no caller can alter them for the others. */
export const MEMORY_TOOLS: readonly ToolDefinition[] = deepFreeze(
  TOOLS.map(({ name, description, parameters }) => ({ name, description, parameters: parameters as unknown as JsonObject })),
);

/**
 * Runs a call the model made on the memory. Bad arguments, an unknown tool and any MnemoError of the
 * memory come back as an `isError` result; any other throw is a bug and is re-thrown.
 */
export async function executeTool(target: ToolTarget, call: ToolCall, options: ToolOptions = {}): Promise<ToolResult> {
  // The call itself comes from the model's output, through the app: check its shape before reading it.
  if (!isPlainObject(call) || typeof call.name !== 'string') {
    throw invalid('call', 'must be an object { name: string, arguments: string | object }');
  }
  const opts = checkOptions(options, ['includeFlagged'], 'options');
  const toolOptions: ToolOptions = {
    includeFlagged: opts['includeFlagged'] === undefined ? false : checkBoolean(opts['includeFlagged'], 'options.includeFlagged'),
  };
  const name = call.name;
  try {
    const tool = BY_NAME.get(name);
    if (!tool) {
      throw new MnemoError('TOOL_UNKNOWN', `Unknown tool "${name}". Known tools: ${TOOLS.map((t) => t.name).join(', ')}.`, {
        details: { tool: name },
      });
    }
    const args = checkArguments(tool, parseArguments(name, call.arguments));
    return { name, content: JSON.stringify(await tool.run(target, args, toolOptions)), isError: false };
  } catch (error) {
    if (!(error instanceof MnemoError)) throw error;
    return { name, content: JSON.stringify({ error: { code: error.code, message: error.message } }), isError: true };
  }
}

function parseArguments(tool: string, raw: unknown): unknown {
  if (typeof raw !== 'string') return raw;
  // Some models send "" rather than "{}" for a call without arguments.
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw argumentError(tool, `arguments are not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** Checks arguments against the tool's own schema, so nothing the model invents reaches the memory. */
function checkArguments(tool: Tool, value: unknown): Args {
  if (!isPlainObject(value)) throw argumentError(tool.name, `arguments must be a JSON object, got ${describe(value)}`);
  const { properties, required: names } = tool.parameters;
  for (const key of Object.keys(value)) {
    // hasOwn: "constructor" or "__proto__" must not pass as known properties.
    if (!Object.hasOwn(properties, key)) {
      const known = Object.keys(properties);
      throw argumentError(
        tool.name,
        `unknown argument "${key}" (${known.length ? `known: ${known.join(', ')}` : 'it takes none'})`,
      );
    }
  }
  for (const key of names) {
    if (value[key] === undefined) throw argumentError(tool.name, `missing required argument "${key}"`);
  }
  for (const [key, property] of Object.entries(properties)) {
    if (value[key] !== undefined) checkProperty(tool.name, key, property, value[key]);
  }
  return value;
}

function checkProperty(tool: string, key: string, property: PropertySchema, value: unknown): void {
  const fail = (expected: string) => argumentError(tool, `"${key}" must be ${expected}, got ${describe(value)}`);
  switch (property.type) {
    case 'string':
      if (typeof value !== 'string') throw fail('a string');
      if (property.enum && !property.enum.includes(value)) throw fail(`one of ${property.enum.join(', ')}`);
      return;
    case 'integer':
    case 'number': {
      const ok = typeof value === 'number' && (property.type === 'integer' ? Number.isInteger(value) : Number.isFinite(value));
      const { minimum = -Infinity, maximum = Infinity } = property;
      if (!ok || value < minimum || value > maximum)
        throw fail(`${property.type === 'integer' ? 'an integer' : 'a number'}${range(property)}`);
      return;
    }
    case 'array': {
      const allowed = property.items.enum;
      const expected = allowed ? `an array of ${allowed.join(', ')}` : 'an array of strings';
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && (!allowed || allowed.includes(item)))) {
        throw fail(expected);
      }
    }
  }
}

function range({ minimum, maximum }: NumberSchema): string {
  if (minimum !== undefined && maximum !== undefined) return ` from ${minimum} to ${maximum}`;
  if (minimum !== undefined) return ` of at least ${minimum}`;
  return maximum === undefined ? '' : ` of at most ${maximum}`;
}

function argumentError(tool: string, message: string): MnemoError {
  return new MnemoError('TOOL_ARGUMENTS', `${tool}: ${message}`, { details: { tool } });
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// Accessors for checked arguments: the schema has already vouched for each type.
function required<T = string>(args: Args, key: string): T {
  return args[key] as T;
}
function optional<T>(args: Args, key: string): T | undefined {
  return args[key] as T | undefined;
}

/** Drops undefined entries, so the memory sees only the options the model actually gave. */
function defined<T extends Record<string, unknown>>(entries: T): Partial<T> {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * Working blocks are in every prompt and carry no trust of their own, so the model may not write flagged text
 * into them: a planted instruction there would reach every later answer (MINJA through core memory).
 */
function unflagged(tool: string, text: string): string {
  const flags = flagsOf(text);
  if (!flags) return text;
  throw new MnemoError(
    'UNTRUSTED_CONTENT',
    `${tool}: the text reads like an instruction to a model or hides characters (${flags.join(', ')}); core memory holds facts about the user and you, not orders. Store it with memory_add if it must be kept.`,
    { details: { tool, flags } },
  );
}

/** Hits asked for beyond k, so that k remain once flagged ones are withheld. */
function searchK(k: number, options: ToolOptions): number {
  return options.includeFlagged ? k : k * 3;
}

/** The first k hits the model may see: flagged low-trust text is withheld unless the app let it through. */
function admitted(hits: RecallHit[], k: number, options: ToolOptions): RecallHit[] {
  return (options.includeFlagged ? hits : hits.filter((hit) => !isWithheld(hit.record))).slice(0, k);
}

function hitJson(hit: RecallHit): JsonObject {
  const { record } = hit;
  const out: JsonObject = { id: record.id, tier: record.tier, text: record.text };
  if (record.speaker !== undefined) out['speaker'] = record.speaker;
  // The model is told what nobody vouches for, so it can weigh it.
  if (record.trust === 'low') out['trust'] = 'low';
  if (record.flags) out['flags'] = [...record.flags];
  out['at'] = iso(record.eventAt);
  out['score'] = Math.round(hit.score * 1000) / 1000;
  return out;
}

function blockJson(block: { label: string; value: string; limit: number }): JsonObject {
  return { label: block.label, value: block.value, limit: block.limit };
}

function titleOf(record: MemoryRecord): string | null {
  const title = record.meta['title'];
  return typeof title === 'string' ? title : null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
