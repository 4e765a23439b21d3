// The records as the core reads them: every row that comes out of the store is checked, and one the core
// cannot read (wrong types, missing fields, not an object) is kept out of every answer and quarantined.

import { MnemoError } from './errors.js';
import { RECORD_KEYS, decodeRecord } from './memory/backup.js';
import type { ListQuery, QuarantineEntry, RecordStore } from './ports.js';
import type { MemoryRecord } from './record.js';

/**
 * Why `row` cannot be used as a record, or undefined when it can. Fields this version does not know are
 * ignored, not refused: a newer release or a store decorator may add some, and they harm nothing here.
 */
export function unreadableReason(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) return `not a record object (${describe(row)})`;
  try {
    decodeRecord(onlyKnown(row as Record<string, unknown>));
    return undefined;
  } catch (error) {
    return error instanceof MnemoError ? error.message : String(error);
  }
}

const KNOWN = new Set<string>(RECORD_KEYS);

/** The row itself when it holds only known fields (the usual case: no copy), else a copy of those. */
function onlyKnown(row: Record<string, unknown>): Record<string, unknown> {
  let unknown = false;
  for (const key in row) if (!KNOWN.has(key)) unknown = true;
  if (!unknown) return row;
  const known: Record<string, unknown> = {};
  for (const key of RECORD_KEYS) if (Object.hasOwn(row, key)) known[key] = row[key];
  return known;
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
}

/**
 * Reads through `store`, leaving unreadable rows out. Each one found is moved to the store's quarantine
 * (when it has one) before the read answers, so it is reported once and never read again; without one it is
 * only remembered here.
 */
export class RecordChecker {
  // Found by this runtime and not (yet) moved: the store has no quarantine, or moving failed.
  private readonly held = new Map<string, QuarantineEntry>();

  constructor(
    private readonly store: RecordStore,
    private readonly now: () => number,
  ) {}

  async get(id: string): Promise<MemoryRecord | undefined> {
    const [record] = await this.checked([id], [await this.store.get(id)]);
    return record;
  }

  async getMany(ids: readonly string[]): Promise<(MemoryRecord | undefined)[]> {
    return this.checked(ids, await this.store.getMany(ids));
  }

  /**
   * A page of `list`. A bad row takes a place in the store's page, so the page is read again, wider, until it
   * is full or the store has no more (the bad rows are moved away meanwhile when the store can).
   */
  async list(query: ListQuery): Promise<MemoryRecord[]> {
    let extra = 0;
    for (;;) {
      const rows = await this.store.list({ ...query, limit: query.limit + extra });
      const good = await this.keepGood(rows);
      const dropped = rows.length - good.length;
      if (dropped === 0 || rows.length < query.limit + extra) return good.slice(0, query.limit);
      extra += dropped;
    }
  }

  async *scan(batchSize: number): AsyncIterable<MemoryRecord[]> {
    const bad: QuarantineEntry[] = [];
    for await (const batch of this.store.scan(batchSize)) {
      const good: MemoryRecord[] = [];
      for (const row of batch) {
        const reason = unreadableReason(row);
        if (reason === undefined) good.push(row);
        else bad.push({ id: idOf(row), reason, at: this.now() });
      }
      yield good;
    }
    // Moved after the scan: the scan reads in batches by key, and moving rows under it would shift them.
    await this.quarantine(bad);
  }

  /** What is quarantined: the store's list, plus what this runtime found but could not move. */
  async listQuarantined(): Promise<QuarantineEntry[]> {
    const stored = (await this.store.listQuarantine?.()) ?? [];
    const ids = new Set(stored.map((entry) => entry.id));
    return [...stored, ...[...this.held.values()].filter((entry) => !ids.has(entry.id))];
  }

  /**
   * Deletes quarantined rows (those of `ids`, or all) for good: from the store's quarantine, and rows this runtime
   * could not move from where they lie. Returns the ids deleted.
   */
  async purgeQuarantined(ids?: readonly string[]): Promise<string[]> {
    const stored = (await this.store.purgeQuarantine?.(ids)) ?? [];
    const held = [...this.held.keys()].filter((id) => ids === undefined || ids.includes(id));
    const deleted = held.length > 0 ? await this.store.delete(held) : [];
    for (const id of held) this.held.delete(id);
    return [...new Set([...stored, ...deleted])];
  }

  private async checked(ids: readonly string[], rows: readonly unknown[]): Promise<(MemoryRecord | undefined)[]> {
    const bad: QuarantineEntry[] = [];
    const out = rows.map((row, i) => {
      if (row === undefined) return undefined;
      const reason = unreadableReason(row);
      if (reason === undefined) return row as MemoryRecord;
      bad.push({ id: ids[i] ?? idOf(row), reason, at: this.now() });
      return undefined;
    });
    await this.quarantine(bad);
    return out;
  }

  private async keepGood(rows: readonly unknown[]): Promise<MemoryRecord[]> {
    const bad: QuarantineEntry[] = [];
    const good = rows.filter((row): row is MemoryRecord => {
      const reason = unreadableReason(row);
      if (reason !== undefined) bad.push({ id: idOf(row), reason, at: this.now() });
      return reason === undefined;
    });
    await this.quarantine(bad);
    return good;
  }

  private async quarantine(entries: readonly QuarantineEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const move = this.store.quarantine?.bind(this.store);
    for (const entry of entries) {
      if (!move) {
        this.held.set(entry.id, entry);
        continue;
      }
      try {
        // One call per reason keeps each row's own reason; bad rows are rare, so this is not a hot path.
        await move([entry.id], entry.reason, entry.at);
        this.held.delete(entry.id);
      } catch {
        // Left in place and kept out of answers; the next read that meets it tries again.
        this.held.set(entry.id, entry);
      }
    }
  }
}

/** The key of a row, as far as it can be told (a row without a string id cannot be moved, only reported). */
function idOf(row: unknown): string {
  const id = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined;
  return typeof id === 'string' ? id : '(no id)';
}
