// A `remember()` input, checked field by field, turned into a complete record of the memory model.

import { DEFAULT_IMPORTANCE, INITIAL_STRENGTH_MS, type MemoryRecord } from './record.js';
import { flagsOf } from './safety/detector.js';
import { deriveTrust } from './safety/trust.js';
import {
  LIMITS,
  checkInstant,
  checkLabel,
  checkLabels,
  checkMeta,
  checkOptions,
  checkSource,
  checkText,
  checkTier,
  checkTrust,
  checkUnitInterval,
  invalid,
} from './validate.js';

const REMEMBER_KEYS = [
  'text',
  'tier',
  'speaker',
  'role',
  'sessionId',
  'at',
  'importance',
  'tags',
  'meta',
  'source',
  'sourceIds',
  'trust',
];

/** Throws a MnemoError naming `field` (such as "input[3].text") for the first bad value. */
export function recordFromInput(
  item: unknown,
  field: string,
  context: { id: string; namespace: string; now: number },
): MemoryRecord {
  const input = checkOptions(item, REMEMBER_KEYS, field);
  const { now } = context;
  const record: MemoryRecord = {
    id: context.id,
    namespace: context.namespace,
    tier: input['tier'] === undefined ? 'episodic' : checkTier(input['tier'], `${field}.tier`),
    text: checkText(input['text'], `${field}.text`),
    createdAt: now,
    eventAt: input['at'] === undefined ? now : checkInstant(input['at'], `${field}.at`),
    updatedAt: now,
    importance:
      input['importance'] === undefined ? DEFAULT_IMPORTANCE : checkUnitInterval(input['importance'], `${field}.importance`),
    strength: INITIAL_STRENGTH_MS,
    accessCount: 0,
    tags: input['tags'] === undefined ? [] : checkLabels(input['tags'], `${field}.tags`, LIMITS.maxTags),
    meta: input['meta'] === undefined ? {} : checkMeta(input['meta'], `${field}.meta`),
    source: input['source'] === undefined ? { kind: 'user' } : checkSource(input['source'], `${field}.source`),
    sourceIds: input['sourceIds'] === undefined ? [] : checkLabels(input['sourceIds'], `${field}.sourceIds`, LIMITS.maxBatchSize),
  };
  // `role` ("user", "assistant") is the chat-API name for who spoke; it is stored as the speaker.
  if (input['speaker'] !== undefined && input['role'] !== undefined)
    throw invalid(`${field}.role`, 'give either speaker or role, not both');
  const speaker = input['speaker'] ?? input['role'];
  if (speaker !== undefined)
    record.speaker = checkLabel(speaker, input['speaker'] !== undefined ? `${field}.speaker` : `${field}.role`);
  if (input['sessionId'] !== undefined) record.sessionId = checkLabel(input['sessionId'], `${field}.sessionId`);
  // The caller may lower trust, never raise it past its source kind; the runtime lowers it further by sourceIds.
  const requested = input['trust'] === undefined ? undefined : checkTrust(input['trust'], `${field}.trust`);
  record.trust = deriveTrust(record.source.kind, requested);
  const flags = flagsOf(record.text);
  if (flags) record.flags = flags;
  return record;
}
