// The RecordStore contract against the IndexedDB store in real Chromium (the same cases Node runs on fake-indexeddb).

import { storeContract } from '../src/adapters/store-contract.js';
import { expect, test } from './support/fixtures.js';

test.describe('IdbRecordStore contract in Chromium', () => {
  for (const contractCase of storeContract) {
    test(contractCase.name, async ({ harnessPage: page }) => {
      const error = await page.evaluate(
        (name) =>
          window.harness.runContractCase(name).then(
            () => null,
            (e: Error) => `${e.name}: ${e.message}`,
          ),
        contractCase.name,
      );
      expect(error).toBeNull();
    });
  }
});
