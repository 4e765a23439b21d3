// Working memory: labelled blocks (persona, user profile, current task) placed whole in every context, each
// with a character limit and an optional read-only flag. Stored as records of the `working` tier, so they
// are exported, isolated per namespace and shared across tabs like any memory.

import type { WorkingBlock, WorkingBlockInput } from '../api.js';
import type { MemoryEngine } from '../engine.js';
import { MnemoError } from '../errors.js';
import type { MemoryRecord } from '../record.js';
import { LIMITS, checkBoolean, checkLabel, checkOptions, checkString, invalid } from '../validate.js';
import { newRecord } from './new-record.js';

export const DEFAULT_BLOCK_LIMIT = 2000;
const BLOCK_KEYS = ['value', 'limit', 'readOnly', 'description'];

export class WorkingMemory {
  constructor(private readonly engine: MemoryEngine) {}

  async list(): Promise<WorkingBlock[]> {
    this.engine.checkOpen();
    await this.engine.settle();
    const records = await this.blockRecords();
    return records.map(blockOf).sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }

  async get(label: string): Promise<WorkingBlock | undefined> {
    checkLabel(label, 'label');
    this.engine.checkOpen();
    await this.engine.settle();
    const record = await this.find(label);
    return record && blockOf(record);
  }

  async set(label: string, input: WorkingBlockInput, options: { force?: boolean } = {}): Promise<WorkingBlock> {
    checkLabel(label, 'label');
    const opts = checkOptions(input, BLOCK_KEYS, 'block');
    const force = checkOptions(options, ['force'], 'options')['force'] === true;
    const value = checkValue(opts['value'], 'block.value');
    return this.engine.exclusive(async () => {
      const existing = await this.find(label);
      if (existing && blockOf(existing).readOnly && !force) throw readOnly(label);
      const previous = existing ? blockOf(existing) : undefined;
      const limit = opts['limit'] === undefined ? (previous?.limit ?? DEFAULT_BLOCK_LIMIT) : checkLimit(opts['limit']);
      const block: WorkingBlock = {
        label,
        value,
        limit,
        readOnly:
          opts['readOnly'] === undefined ? (previous?.readOnly ?? false) : checkBoolean(opts['readOnly'], 'block.readOnly'),
        updatedAt: this.engine.now(),
      };
      const description = opts['description'] === undefined ? previous?.description : checkDescription(opts['description']);
      if (description !== undefined) block.description = description;
      checkFits(block, value);
      await this.engine.writeNow([this.toRecord(block, existing)]);
      return block;
    });
  }

  async append(label: string, text: string): Promise<WorkingBlock> {
    const addition = checkValue(text, 'text');
    return this.change(label, (value) => (value.length === 0 ? addition : `${value}\n${addition}`));
  }

  async replace(label: string, oldText: string, newText: string): Promise<WorkingBlock> {
    const from = checkValue(oldText, 'oldText');
    const to = checkValue(newText, 'newText');
    if (from.length === 0) throw invalid('oldText', 'must not be empty');
    return this.change(label, (value) => {
      const at = value.indexOf(from);
      if (at < 0)
        throw new MnemoError('NOT_FOUND', `The block "${label}" does not contain the text to replace.`, { details: { label } });
      if (value.indexOf(from, at + 1) >= 0)
        throw invalid('oldText', `occurs more than once in the block "${label}"; quote more of it`);
      return value.slice(0, at) + to + value.slice(at + from.length);
    });
  }

  async delete(label: string, options: { force?: boolean } = {}): Promise<boolean> {
    checkLabel(label, 'label');
    const force = checkOptions(options, ['force'], 'options')['force'] === true;
    return this.engine.exclusive(async () => {
      const existing = await this.find(label);
      if (!existing) return false;
      if (blockOf(existing).readOnly && !force) throw readOnly(label);
      return (await this.engine.deleteNow([existing.id])).length > 0;
    });
  }

  /** A read-modify-write of one block's value, in the mutation queue so two appends never lose one. */
  private change(label: string, next: (value: string) => string): Promise<WorkingBlock> {
    checkLabel(label, 'label');
    return this.engine.exclusive(async () => {
      const existing = await this.find(label);
      if (!existing) throw new MnemoError('NOT_FOUND', `No working block "${label}".`, { details: { label } });
      const block = blockOf(existing);
      if (block.readOnly) throw readOnly(label);
      const value = next(block.value);
      checkFits(block, value);
      const updated: WorkingBlock = { ...block, value, updatedAt: this.engine.now() };
      await this.engine.writeNow([this.toRecord(updated, existing)]);
      return updated;
    });
  }

  private toRecord(block: WorkingBlock, existing: MemoryRecord | undefined): MemoryRecord {
    const meta = {
      label: block.label,
      limit: block.limit,
      readOnly: block.readOnly,
      ...(block.description !== undefined && { description: block.description }),
    };
    if (existing) return { ...existing, text: block.value, meta, updatedAt: block.updatedAt };
    return newRecord(
      { id: this.engine.newId(), namespace: this.engine.namespace, now: block.updatedAt },
      { tier: 'working', text: block.value, meta },
    );
  }

  private blockRecords(): Promise<MemoryRecord[]> {
    return this.engine.recordsWhere((facet) => facet.tier === 'working');
  }

  private async find(label: string): Promise<MemoryRecord | undefined> {
    return (await this.blockRecords()).find((r) => r.meta['label'] === label);
  }
}

export function blockOf(record: MemoryRecord): WorkingBlock {
  const meta = record.meta;
  const block: WorkingBlock = {
    label: typeof meta['label'] === 'string' ? meta['label'] : '',
    value: record.text,
    limit: typeof meta['limit'] === 'number' ? meta['limit'] : DEFAULT_BLOCK_LIMIT,
    readOnly: meta['readOnly'] === true,
    updatedAt: record.updatedAt,
  };
  if (typeof meta['description'] === 'string') block.description = meta['description'];
  return block;
}

function checkValue(value: unknown, field: string): string {
  return checkString(value, field);
}

function checkLimit(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > LIMITS.maxTextLength) {
    throw invalid('block.limit', `must be an integer from 1 to ${LIMITS.maxTextLength}`);
  }
  return value;
}

function checkDescription(value: unknown): string {
  if (typeof value !== 'string' || value.length > 1000)
    throw invalid('block.description', 'must be a string of at most 1000 characters');
  return value;
}

function checkFits(block: WorkingBlock, value: string): void {
  if (value.length > block.limit) {
    throw new MnemoError(
      'BLOCK_FULL',
      `The block "${block.label}" holds at most ${block.limit} characters; this would make ${value.length}.`,
      {
        details: { label: block.label, limit: block.limit, length: value.length },
      },
    );
  }
}

function readOnly(label: string): MnemoError {
  return new MnemoError('READ_ONLY', `The working block "${label}" is read-only.`, { details: { label } });
}
