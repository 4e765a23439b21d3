// The demo page: add, search, list and forget through the UI, with no console errors.

import { expect, test } from '@playwright/test';

test('a person can remember, search and forget on the demo page', async ({ page }) => {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto('/');
  await expect(page.getByRole('status')).toContainText('Ready');
  await expect(page.getByText('Nothing yet')).toBeVisible();

  for (const text of ['Ada prefers green tea', 'The dentist appointment is on Friday']) {
    await page.getByLabel('What should Mnemo remember?').fill(text);
    await page.getByRole('button', { name: 'Remember' }).click();
    await expect(page.locator('#records')).toContainText(text);
  }
  await expect(page.locator('#count')).toHaveText('(2)');

  await page.getByLabel('Ask your memory').fill('when is the dentist');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.locator('#hits li').first()).toContainText('dentist appointment');
  await expect(page.locator('#hits li').first()).toContainText('lexical');
  await expect(page.locator('#hits li').first()).toContainText('dense');

  // Bad input is explained, not swallowed.
  await page.getByLabel('Ask your memory').fill('   ');
  await page.getByLabel('Ask your memory').press('Enter');
  await expect(page.getByRole('status')).toContainText('TEXT_EMPTY');

  await page.getByRole('button', { name: 'Forget "Ada prefers green tea"' }).click();
  await expect(page.locator('#count')).toHaveText('(1)');
  await page.reload();
  await expect(page.locator('#records li')).toHaveCount(1);
  await expect(page.locator('#records')).toContainText('dentist');
  expect(problems).toEqual([]);
});
