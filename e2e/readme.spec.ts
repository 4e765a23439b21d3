// README.md's usage example, executed verbatim in Chromium (served by the readme-example Vite plugin).

import { expect, test } from './support/fixtures.js';

test('the README usage example runs and prints what it says', async ({ page }) => {
  const logs: string[] = [];
  page.on('console', (message) => logs.push(message.text()));
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto('/e2e/pages/readme-example.html');
  await expect.poll(() => logs).toContain('Ada prefers green tea');
  await expect.poll(() => logs).toContain('true true');
  expect(errors).toEqual([]);
});
