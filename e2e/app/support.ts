// Shared set-up of the app specs: every request is recorded (none may leave localhost), console errors and page
// errors fail the test, and small helpers drive the app as a person would.

import { test as base, expect, type Page } from '@playwright/test';

export const ORIGIN = 'http://localhost:4174';

export interface Guard {
  requests: string[];
  /** A test that configures a remote model may reach that host, and sees the browser log its failed fetch. */
  allow(host: string, consoleError: RegExp): void;
}

export const test = base.extend<{ guard: Guard }>({
  guard: [
    async ({ context, page }, use) => {
      const requests: string[] = [];
      const problems: string[] = [];
      const hosts = new Set<string>();
      const expected: RegExp[] = [];
      context.on('request', (request) => requests.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(message.text());
      });
      page.on('pageerror', (error) => problems.push(error.message));
      await use({
        requests,
        allow: (host, consoleError) => {
          hosts.add(host);
          expected.push(consoleError);
        },
      });
      // Only this origin (and data:/blob: URLs the page makes itself) may be asked for anything.
      const foreign = requests.filter(
        (url) => !url.startsWith(`${ORIGIN}/`) && !/^(data|blob):/.test(url) && !hosts.has(new URL(url).host),
      );
      expect(foreign, 'requests to another host').toEqual([]);
      expect(
        problems.filter((text) => !expected.some((pattern) => pattern.test(text))),
        'console errors',
      ).toEqual([]);
    },
    { auto: true },
  ],
});

export { expect };

export async function openApp(page: Page, hash = ''): Promise<void> {
  await page.goto(`/${hash}`);
  await expect(page.locator('body[data-ready="true"]')).toBeAttached();
}

export async function go(page: Page, view: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: view, exact: true }).click();
}

/** Writes one chat turn and waits until it shows in the conversation. */
export async function say(page: Page, text: string): Promise<void> {
  await go(page, 'Chat');
  await page.getByLabel('Write a note or a turn of the conversation').fill(text);
  await page.getByRole('button', { name: 'Remember', exact: true }).click();
  await expect(page.locator('#chat-turns')).toContainText(text);
}

export async function search(page: Page, query: string): Promise<void> {
  await go(page, 'Search');
  await page.getByLabel('Ask your memory').fill(query);
  await page.locator('#search-form').getByRole('button', { name: 'Search', exact: true }).click();
}

/** Waits until the service worker has precached everything and controls the page (it claims the first visit). */
export async function waitForOffline(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
}
