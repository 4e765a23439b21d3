// Fact extraction at consolidation: a pluggable extractor turns a batch of turns into candidate facts.
// Without an LLM, rules catch the plain first-person statements people make about themselves; with one,
// the app's `llm(prompt)` answers in JSON, and anything malformed is refused before it is written.

import { MnemoError } from '../errors.js';
import type { MemoryRecord } from '../record.js';

export interface CandidateFact {
  text: string;
  /** Facts with one key are versions of each other: a new text supersedes the old (a contradiction). */
  key?: string;
  /** Ids of the turns it came from; each must be one of the batch. */
  sourceIds: string[];
  importance?: number;
}

/** A batch of turns in, candidate facts out. Throwing a MnemoError with code INVALID_ARGUMENT rejects the batch. */
export type Extractor = (turns: readonly MemoryRecord[]) => Promise<CandidateFact[]>;

/** The app's language model: any function from a prompt to its completion (WebLLM, a remote API...). */
export type LanguageModel = (prompt: string) => Promise<string>;

const CLAUSE = String.raw`([^.!?;,\n]{2,80}?)(?=[.!?;,\n]|$| and | but | because )`;
interface Rule {
  pattern: RegExp;
  fact: (speaker: string, m: RegExpExecArray) => string;
  key?: (speaker: string, m: RegExpExecArray) => string;
}
const RULES: Rule[] = [
  {
    pattern: new RegExp(String.raw`\bmy (favou?rite [a-z ]{2,30}?) (?:is|are) ` + CLAUSE, 'gi'),
    fact: (s, m) => `${s}'s ${m[1]!.toLowerCase()} is ${m[2]!.trim()}`,
    key: (s, m) => `${s}|${m[1]!.toLowerCase().replace('favourite', 'favorite')}`,
  },
  {
    pattern: new RegExp(String.raw`\bI(?: live| am living|'m living) in ` + CLAUSE, 'gi'),
    fact: (s, m) => `${s} lives in ${m[1]!.trim()}`,
    key: (s) => `${s}|lives in`,
  },
  {
    pattern: new RegExp(String.raw`\bI(?: work| am working|'m working) (as|at|for) ` + CLAUSE, 'gi'),
    fact: (s, m) => `${s} works ${m[1]!.toLowerCase()} ${m[2]!.trim()}`,
    key: (s, m) => `${s}|works ${m[1]!.toLowerCase()}`,
  },
  {
    pattern: new RegExp(String.raw`\bI(?: really)? (love|like|enjoy|prefer|hate|dislike) ` + CLAUSE, 'gi'),
    fact: (s, m) => `${s} ${verb3(m[1]!.toLowerCase())} ${m[2]!.trim()}`,
  },
  {
    pattern: new RegExp(String.raw`\bI(?:'m| am) (a|an) ` + CLAUSE, 'gi'),
    fact: (s, m) => `${s} is ${m[1]!.toLowerCase()} ${m[2]!.trim()}`,
  },
  {
    pattern: new RegExp(
      String.raw`\bI(?:'m| am) (vegetarian|vegan|allergic to [^.!?;,\n]{2,40}|married|single|retired|pregnant)`,
      'gi',
    ),
    fact: (s, m) => `${s} is ${m[1]!.trim()}`,
  },
  {
    pattern: new RegExp(String.raw`\bmy ([a-z]{3,20})(?:'s name is| is called| is named) ` + CLAUSE, 'gi'),
    fact: (s, m) => `${s}'s ${m[1]!.toLowerCase()} is called ${m[2]!.trim()}`,
    key: (s, m) => `${s}|${m[1]!.toLowerCase()} name`,
  },
  {
    pattern: new RegExp(String.raw`\bI have (?:a|an|two|three|\d+) ` + CLAUSE, 'gi'),
    fact: (s, m) => `${s} has ${m[0].slice(7).trim()}`,
  },
];

function verb3(verb: string): string {
  return verb === 'prefer' ? 'prefers' : `${verb}s`;
}

/**
 * The sentences of a text that state something: questions ("Should I live in Paris?") state nothing.
 * Curly apostrophes become straight ones, so "I’m" reads as "I'm".
 */
function statements(text: string): string[] {
  return (text.replace(/[\u2018\u2019]/g, "'").match(/[^.!?]+[.!?]*/g) ?? []).filter((s) => !s.trimEnd().endsWith('?'));
}

/** The rules above, applied to each statement of each turn with a speaker; no model needed, deterministic. */
export const ruleExtractor: Extractor = async (turns) => {
  const out: CandidateFact[] = [];
  for (const turn of turns) {
    const speaker = turn.speaker;
    if (!speaker || speaker === 'assistant') continue;
    for (const sentence of statements(turn.text)) {
      for (const rule of RULES) {
        rule.pattern.lastIndex = 0;
        for (let m = rule.pattern.exec(sentence); m; m = rule.pattern.exec(sentence)) {
          const fact: CandidateFact = { text: rule.fact(speaker, m), sourceIds: [turn.id] };
          if (rule.key) fact.key = rule.key(speaker, m);
          out.push(fact);
        }
      }
    }
  }
  return out;
};

/** An extractor that asks the app's language model, and refuses any answer that is not the JSON asked for. */
export function llmExtractor(llm: LanguageModel): Extractor {
  return async (turns) => {
    const lines = turns.map((t, i) => `[${i}] ${t.speaker ?? 'unknown'}: ${t.text}`);
    const prompt =
      'Extract durable facts about the people in this conversation (preferences, relationships, jobs, places, plans).\n' +
      'Answer with only a JSON array; each item {"fact": string, "key"?: string naming what the fact is about such as ' +
      '"Ada|lives in" so a later fact with the same key replaces it, "turns": [indices of the turns it comes from], "importance"?: 0..1}.\n' +
      'Answer [] if there is nothing durable.\n\n' +
      lines.join('\n');
    const answer = await llm(prompt);
    return parseLlmFacts(answer, turns);
  };
}

/** Summarises a session's turns into a short paragraph. Throwing INVALID_ARGUMENT refuses the summary. */
export type Summariser = (turns: readonly MemoryRecord[]) => Promise<string>;

export const MAX_SUMMARY_CHARS = 2000;

/** A summariser that asks the app's language model; an empty or overlong answer is refused. */
export function llmSummariser(llm: LanguageModel): Summariser {
  return async (turns) => {
    const lines = turns.map((t) => `${t.speaker ?? 'unknown'}: ${t.text}`);
    const answer = await llm(
      'Summarise this conversation in at most three sentences, naming who did what and when. Answer with the summary only.\n\n' +
        lines.join('\n'),
    );
    if (typeof answer !== 'string' || answer.trim().length === 0) throw malformed('the summary is empty');
    if (answer.length > MAX_SUMMARY_CHARS) throw malformed(`the summary is longer than ${MAX_SUMMARY_CHARS} characters`);
    return answer.trim();
  };
}

export function parseLlmFacts(answer: unknown, turns: readonly MemoryRecord[]): CandidateFact[] {
  if (typeof answer !== 'string') throw malformed('the model answered with something that is not text');
  // Models wrap JSON in prose or a code fence; take the outermost array and nothing else.
  const start = answer.indexOf('[');
  const end = answer.lastIndexOf(']');
  if (start < 0 || end < start) throw malformed('no JSON array in the answer');
  let parsed: unknown;
  try {
    parsed = JSON.parse(answer.slice(start, end + 1));
  } catch {
    throw malformed('the array is not valid JSON');
  }
  if (!Array.isArray(parsed)) throw malformed('not an array');
  return parsed.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) throw malformed(`item ${i} is not an object`);
    const { fact, key, turns: refs, importance } = item as Record<string, unknown>;
    if (typeof fact !== 'string' || fact.trim().length === 0 || fact.length > 1000)
      throw malformed(`item ${i} has no usable "fact"`);
    if (key !== undefined && (typeof key !== 'string' || key.length === 0 || key.length > 256))
      throw malformed(`item ${i} has a bad "key"`);
    if (!Array.isArray(refs) || refs.length === 0 || !refs.every((r) => Number.isInteger(r) && r >= 0 && r < turns.length)) {
      throw malformed(`item ${i} must cite turns 0-${turns.length - 1}`);
    }
    if (importance !== undefined && (typeof importance !== 'number' || !(importance >= 0 && importance <= 1))) {
      throw malformed(`item ${i} has an importance outside 0..1`);
    }
    const candidate: CandidateFact = { text: fact.trim(), sourceIds: [...new Set((refs as number[]).map((r) => turns[r]!.id))] };
    if (key !== undefined) candidate.key = key;
    if (importance !== undefined) candidate.importance = importance;
    return candidate;
  });
}

function malformed(reason: string): MnemoError {
  return new MnemoError('INVALID_ARGUMENT', `Extractor output refused: ${reason}.`, { details: { field: 'extractor' } });
}
