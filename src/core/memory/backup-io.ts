// export() and import(): a namespace to its backup text and back, through the engine. The format is backup.ts.

import { throwIfAborted, type AbortSignalLike } from '../abort.js';
import type { ImportResult } from '../api.js';
import type { MemoryEngine } from '../engine.js';
import { MnemoError } from '../errors.js';
import { invalid } from '../validate.js';
import { secureImported } from '../safety/imported-trust.js';
import { decodeBackup, encodeBackup } from './backup.js';

/** Every record, in id order, with its vector of the current model; read in the mutation queue, so consistent. */
export async function exportNamespace(engine: MemoryEngine): Promise<string> {
  engine.checkOpen();
  return engine.exclusive(async () => {
    const records = await engine.recordsWhere(() => true);
    records.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const embedding = engine.embedding;
    const entries = records.map((record) => {
      const vector = embedding ? engine.vectorOf(record.id) : undefined;
      return vector ? { record, vector } : { record };
    });
    return encodeBackup({ namespace: engine.namespace, exportedAt: engine.now(), ...(embedding && { embedding }) }, entries);
  });
}

/**
 * Restores a backup into an empty namespace: every line is checked before anything is written, and the records
 * are written in one transaction, so an import lands whole or not at all. Vectors are reused when the backup's
 * model is this memory's model; otherwise the records are embedded again.
 */
export async function importNamespace(engine: MemoryEngine, jsonl: unknown, signal?: AbortSignalLike): Promise<ImportResult> {
  engine.checkOpen();
  if (typeof jsonl !== 'string') throw invalid('jsonl', 'must be a string');
  const { header, entries } = decodeBackup(jsonl);
  const embedding = engine.embedding;
  const sameModel = !!embedding && header.embedding?.model === embedding.model && header.embedding.dims === embedding.dims;
  const records = secureImported(entries.map(({ record }) => ({ ...record, namespace: engine.namespace })));
  const vectors = new Map(sameModel ? entries.flatMap((e) => (e.vector ? [[e.record.id, e.vector] as const] : [])) : []);
  const writes = await engine.vectorsFor(records, { signal, vectors });
  return engine.exclusive(async () => {
    throwIfAborted(signal);
    const held = engine.facets.size;
    if (held > 0) {
      throw new MnemoError(
        'NAMESPACE_NOT_EMPTY',
        `The memory "${engine.namespace}" holds ${held} records; import into an empty one.`,
        {
          details: { records: held },
        },
      );
    }
    await engine.writeNow(records, writes);
    return { records: records.length, vectors: writes.length };
  });
}
