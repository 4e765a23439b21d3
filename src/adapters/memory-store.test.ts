// The RecordStore contract against the in-memory store.

import { describe, it } from 'vitest';
import { InMemoryStore } from './memory-store.js';
import { storeContract } from './store-contract.js';

describe('InMemoryStore contract', () => {
  for (const contractCase of storeContract) {
    it(contractCase.name, () => contractCase.run(new InMemoryStore()));
  }
});
