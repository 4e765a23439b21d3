// Trust and flags of records restored from a backup: a file is data, so nothing in it is taken on its word.
// Trust is capped by each record's source kind and lowered through its sources in the file; flags are found
// again by this detector. A low-trust record exported and imported stays low; an edited file can lower
// trust, or relabel a record's source kind (a file is as trusted as the app that imports it).

import type { MemoryRecord } from '../record.js';
import { flagsOf } from './detector.js';
import { minTrust, trustOf, type Trust } from './trust.js';

export function secureImported(records: MemoryRecord[]): MemoryRecord[] {
  const trust = new Map<string, Trust>(records.map((r) => [r.id, trustOf(r)]));
  // Provenance chains are short (turn -> fact -> newer version); repeat until nothing changes.
  for (let changed = true; changed;) {
    changed = false;
    for (const record of records) {
      const lowered = minTrust(trust.get(record.id), ...record.sourceIds.map((id) => trust.get(id)));
      if (lowered !== trust.get(record.id)) {
        trust.set(record.id, lowered);
        changed = true;
      }
    }
  }
  return records.map((record) => {
    const { flags: _stored, ...rest } = record;
    const out: MemoryRecord = { ...rest, trust: trust.get(record.id)! };
    const flags = record.tier === 'working' ? undefined : flagsOf(record.text);
    if (flags) out.flags = flags;
    return out;
  });
}
