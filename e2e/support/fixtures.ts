// Shared set-up of the e2e tests: a harness page and a unique namespace per test.

import { test as base, expect, type Page } from '@playwright/test';

export async function openHarness(page: Page): Promise<void> {
  await page.goto('/e2e/pages/harness.html');
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
}

export const test = base.extend<{ namespace: string; harnessPage: Page }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
  namespace: async ({}, use, testInfo) => {
    await use(`e2e-${testInfo.workerIndex}-${testInfo.testId}`.replace(/[^\w.:-]/g, '_'));
  },
  harnessPage: async ({ page }, use) => {
    await openHarness(page);
    await use(page);
  },
});

export { expect };
