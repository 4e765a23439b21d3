// Screenshots of the main screens at a phone (390x844) and a desktop (1280x800) size, saved as artifacts under
// reports/app-screens/; each screen must fit its width (nothing wider than the window).

import { expect, go, openApp, say, search, test } from './support.js';

const SIZES = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];
const VIEWS = ['Home', 'Chat', 'Memory', 'Search', 'Timeline', 'Map', 'Consolidate', 'Settings'];

for (const size of SIZES) {
  test(`main screens at ${size.name} size (${size.width}x${size.height}) fit and are saved`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await openApp(page);
    // The status line sticks to the window's bottom; in a full-page capture it would cover the middle of the page.
    await page.addStyleTag({ content: 'footer { position: static !important; }' });
    for (const text of [
      'I live in Lisbon',
      'I prefer oolong tea',
      'We walked along the river with Sam',
      'My favourite book is Middlemarch',
      'Remind me to call the plumber on Monday',
      'I work as a translator',
    ])
      await say(page, text);
    await go(page, 'Consolidate');
    await page.getByRole('button', { name: 'Consolidate now' }).click();
    await expect(page.locator('#consolidate-result')).toContainText('Done.');
    await search(page, 'what tea do I like');
    await expect(page.locator('#hits li').first()).toContainText('oolong');

    for (const view of VIEWS) {
      await go(page, view);
      await expect(page.locator(`#view-${view === 'Memory' ? 'tiers' : view.toLowerCase()}`)).toBeVisible();
      if (view === 'Map') await expect(page.locator('#map circle.lit')).not.toHaveCount(0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${view} is wider than the window`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: `reports/app-screens/${size.name}-${view.toLowerCase()}.png`, fullPage: view !== 'Memory' });
    }
  });
}
