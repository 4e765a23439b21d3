// Fixture databases of every released schema version open with the current code, their data intact
// (records readable, recall finds them, vectors present), on fake-indexeddb.

import 'fake-indexeddb/auto';
import { openDB, unwrap } from 'idb';
import { describe, expect, it } from 'vitest';
import { HashEmbedder } from '../core/embedding/hash-embedder.js';
import { MemoryRuntime } from '../core/runtime.js';
import { ManualClock, sequentialIds } from '../core/test-support.js';
import { buildFixture, describeStores, type FixtureDescription } from './fixtures/fixture-format.js';
import v1 from './fixtures/schema-v1.json';
import v2 from './fixtures/schema-v2.json';
import { MIGRATIONS, SCHEMA_VERSION, databaseName, migrate } from './idb-schema.js';
import { openIdbStore } from './idb-store.js';

const FIXTURES = [v1, v2] as FixtureDescription[];
let n = 0;

describe('schema fixtures', () => {
  it('cover every released schema version before the current one', () => {
    expect(FIXTURES.map((f) => f.schemaVersion)).toEqual(Array.from({ length: SCHEMA_VERSION - 1 }, (_, i) => i + 1));
  });

  for (const fixture of FIXTURES) {
    it(`version ${fixture.schemaVersion}: the released migrations still build exactly the fixture's layout`, async () => {
      // A released migration edited by mistake would change what old databases look like: this catches it.
      const name = `layout-${++n}`;
      const db = await openDB(name, fixture.schemaVersion, {
        upgrade: (upgrading, oldVersion, _newVersion, tx) =>
          migrate(upgrading as never, tx as never, oldVersion, MIGRATIONS.slice(0, fixture.schemaVersion)),
      });
      expect(describeStores(unwrap(db))).toEqual(fixture.stores);
      db.close();
    });

    it(`version ${fixture.schemaVersion}: opens with the current code, records, recall and vectors intact`, async () => {
      const namespace = `fixture-${fixture.schemaVersion}-${++n}`;
      await buildFixture(databaseName(namespace), fixture);
      const embedder = new HashEmbedder();
      const memory = await MemoryRuntime.open({
        namespace,
        store: await openIdbStore({ namespace, broadcast: false }),
        clock: new ManualClock(Date.UTC(2026, 11, 1)),
        newId: sequentialIds(),
        embedder,
      });
      try {
        for (const { id, text } of fixture.expect.records) expect((await memory.get(id))?.text).toBe(text);
        const listed = await memory.list({ limit: 100 });
        expect(listed.map((r) => r.id).sort()).toEqual(fixture.expect.records.map((r) => r.id).sort());

        const before = await memory.stats();
        expect(before.quarantine.records).toBe(0);
        expect(before.vectors?.count).toBe(fixture.expect.vectors.length);
        expect(before.reembedding?.pending).toBe(fixture.expect.reembed.length);
        if (fixture.expect.reembed.length > 0) await memory.reembed();
        const after = await memory.stats();
        expect(after.vectors?.count).toBe(fixture.expect.vectors.length + fixture.expect.reembed.length);

        // Each text recalled first, its stored vector matching its own embedding (dense score 1).
        for (const { id, text } of fixture.expect.records) {
          const record = await memory.get(id);
          if (record?.tier === 'working') continue;
          const [hit] = await memory.recall(text, { k: 1, reinforce: false });
          expect(hit?.record.id).toBe(id);
          expect(hit?.scores.dense).toBeCloseTo(1, 5);
        }
        // Writes keep working on the upgraded database.
        await memory.remember({ text: 'written after the upgrade' });
        expect((await memory.stats()).records).toBe(fixture.expect.records.length + 1);
      } finally {
        await memory.close();
      }
      const db = await openDB(databaseName(namespace));
      expect(db.version).toBe(SCHEMA_VERSION);
      expect(await db.get('meta', 'schema')).toEqual({ version: SCHEMA_VERSION });
      db.close();
    });
  }
});
