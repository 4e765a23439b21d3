// Chromium's report that it deleted a corrupt database and created it anew, empty (`dataLoss` on the upgrade
// event): read in the upgrade, kept in the database's `meta` store until the app acknowledges it.

import type { IDBPDatabase, IDBPObjectStore, IDBPTransaction, StoreNames } from 'idb';
import type { DataLossReport } from '../core/ports.js';
import type { MnemoDbSchema } from './idb-schema.js';

/** The report's key in `meta`. */
export const DATA_LOSS_KEY = 'dataLoss';

type UpgradeTransaction = IDBPTransaction<MnemoDbSchema, StoreNames<MnemoDbSchema>[], 'versionchange'>;
type MetaStore = IDBPObjectStore<MnemoDbSchema, ['meta'], 'meta', 'readwrite'>;

/** `IDBVersionChangeEvent` as Chromium extends it (third_party/blink/renderer/modules/indexeddb/idb_version_change_event.idl). */
interface ChromiumVersionChange {
  dataLoss?: unknown;
  dataLossMessage?: unknown;
}

/**
 * What the upgrade event says was lost, or undefined. Chromium only, hence read defensively (other engines have no
 * such field): when it finds an origin's IndexedDB backing store corrupt on open (a LevelDB "checksum mismatch"
 * after a killed browser), it deletes the whole store, every database of the origin, and answers the first open
 * request after it with an upgrade from version 0 and `dataLoss: 'total'`. Any other upgrade says 'none', that of
 * another database deleted with it included (Chromium 156, e2e/data-loss.spec.ts).
 */
export function dataLossOf(event: Event, at: number): DataLossReport | undefined {
  const { dataLoss, dataLossMessage } = event as Event & ChromiumVersionChange;
  if (dataLoss !== 'total') return undefined;
  return { amount: 'total', message: typeof dataLossMessage === 'string' ? dataLossMessage : '', at };
}

/**
 * Stores `report` in the upgrade transaction (after the migrations built `meta`), so the report exists exactly
 * when the new, empty database does. A failed put aborts the upgrade, which openDB reports.
 */
export function recordDataLoss(db: IDBPDatabase<MnemoDbSchema>, tx: UpgradeTransaction, report: DataLossReport): void {
  if (!db.objectStoreNames.contains('meta')) return;
  tx.objectStore('meta')
    .put(report, DATA_LOSS_KEY)
    .catch(() => undefined);
}

/** The stored report; a row this code cannot read in full still says that data was lost. */
export function storedDataLoss(value: unknown): DataLossReport | undefined {
  if (value === undefined) return undefined;
  const row = (typeof value === 'object' && value !== null ? value : {}) as Partial<Record<keyof DataLossReport, unknown>>;
  return {
    amount: 'total',
    message: typeof row.message === 'string' ? row.message : '',
    at: typeof row.at === 'number' && Number.isFinite(row.at) ? row.at : 0,
  };
}

/** Deletes the report in `meta`'s read-write transaction; true if there was one. */
export async function clearDataLoss(meta: MetaStore): Promise<boolean> {
  const key = await meta.getKey(DATA_LOSS_KEY);
  if (key === undefined) return false;
  await meta.delete(DATA_LOSS_KEY);
  return true;
}
